/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link SharedSessionData} records of a request's changes, for a store that saves only those. */
class SharedSessionDataTest {

    private static SharedSessionData data() {
        return new SharedSessionData("id", "/", "0.0.0.0", 1_000, 1_000, 1_000, 60_000, null);
    }

    @Test
    void setsAndRemovalsAreRecordedByNameUntilTheSave() {
        SharedSessionData data = data();
        data.setAttribute("kept", "1");
        data.setAttribute("gone", "1");
        data.clean();
        assertEquals(Set.of(), data.changedNames(), "a save forgets the changes it saved");

        data.setAttribute("added", "2");
        data.setAttribute("gone", null);
        assertEquals(Set.of("added", "gone"), data.changedNames());
        assertTrue(data.isDirty());

        data.clean();
        assertEquals(Set.of(), data.changedNames());
        assertFalse(data.isDirty());
    }

    /**
     * A cached copy waits for its next request: after a save it holds no record of changes at all (a set kept empty
     * would cost it about 144 bytes).
     */
    @Test
    void aSavedSessionHoldsNoRecordOfChanges() throws Exception {
        SharedSessionData data = data();
        data.setAttribute("visits", 1);
        data.clean();
        java.lang.reflect.Field record = SharedSessionData.class.getDeclaredField("changedNames");
        record.setAccessible(true);
        assertNull(record.get(data));
    }

    @Test
    void removingAnAttributeThatIsNotThereIsNoChange() {
        SharedSessionData data = data();
        data.setAttribute("never", null);
        assertEquals(Set.of(), data.changedNames());
    }

    @Test
    void aNewMaxInactiveIntervalIsRecordedAndTheSameOneIsNot() {
        SharedSessionData data = data();
        data.setMaxInactiveMs(60_000);
        assertFalse(data.maxInactiveChanged());
        data.setMaxInactiveMs(120_000);
        assertTrue(data.maxInactiveChanged());
        data.clean();
        assertFalse(data.maxInactiveChanged());
    }
}
