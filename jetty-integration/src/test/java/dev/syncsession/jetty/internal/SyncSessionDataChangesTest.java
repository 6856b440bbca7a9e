/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link SyncSessionData} records of a request's changes, for a store that saves only those. */
class SyncSessionDataChangesTest {

    private static SyncSessionData data() {
        return new SyncSessionData("id", "/", "0.0.0.0", 1_000, 1_000, 1_000, 60_000, 0);
    }

    @Test
    void setsAndRemovalsAreRecordedByNameUntilTheSave() {
        SyncSessionData data = data();
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

    @Test
    void removingAnAttributeThatIsNotThereIsNoChange() {
        SyncSessionData data = data();
        data.setAttribute("never", null);
        assertEquals(Set.of(), data.changedNames());
    }

    @Test
    void aNewMaxInactiveIntervalIsRecordedAndTheSameOneIsNot() {
        SyncSessionData data = data();
        data.setMaxInactiveMs(60_000);
        assertFalse(data.maxInactiveChanged());
        data.setMaxInactiveMs(120_000);
        assertTrue(data.maxInactiveChanged());
        data.clean();
        assertFalse(data.maxInactiveChanged());
    }
}
