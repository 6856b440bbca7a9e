/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link InPlaceChanges} counts as changed in place, on a copy as the many-nodes store keeps it. */
class InPlaceChangesTest {

    private static SharedSessionData loaded() {
        SharedSessionData data = new SharedSessionData("id", "/", "0.0.0.0", 1, 1, 1, 60_000, null);
        data.setAttribute("list", new ArrayList<>(List.of("apple")));
        data.setAttribute("name", "ada");
        data.clean(); // as after a load or a save: no change recorded
        data.storedForms(InPlaceChanges.forms(data.getAllAttributes()));
        return data;
    }

    @Test
    void nothingIsMarkedWhenNoValueChanged() {
        SharedSessionData data = loaded();
        assertEquals(0, InPlaceChanges.markChanged(data));
        assertFalse(data.isDirty());
        assertEquals(Set.of(), data.changedNames());
    }

    @Test
    void aValueChangedInPlaceIsMarkedAsChangedAndMakesTheDataDirty() {
        SharedSessionData data = loaded();
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) data.getAttribute("list");
        list.add("pear");
        assertEquals(1, InPlaceChanges.markChanged(data));
        assertTrue(data.isDirty());
        assertEquals(Set.of("list"), data.changedNames());
    }

    @Test
    void anAttributeSetByTheRequestIsNotSerializedAgain() {
        SharedSessionData data = loaded();
        data.setAttribute("name", new Object()); // not serializable: would count as changed if compared
        assertEquals(0, InPlaceChanges.markChanged(data));
        assertEquals(Set.of("name"), data.changedNames());
    }

    /**
     * A value that cannot change in place (here a String) is not serialized again: the form the copy keeps for it
     * stands, even when it is not the value's (as it would be if the comparison ran).
     */
    @Test
    void aValueThatCannotChangeInPlaceIsNotSerializedToBeCompared() {
        SharedSessionData data = loaded();
        Map<String, byte[]> forms = new java.util.HashMap<>(data.storedForms());
        forms.put("name", InPlaceChanges.form("not ada"));
        data.storedForms(forms);
        assertEquals(0, InPlaceChanges.markChanged(data));
        assertTrue(InPlaceChanges.cannotChangeInPlace(42));
        assertTrue(InPlaceChanges.cannotChangeInPlace(java.time.DayOfWeek.MONDAY));
        assertFalse(InPlaceChanges.cannotChangeInPlace(new ArrayList<>()));
        assertFalse(InPlaceChanges.cannotChangeInPlace(new java.math.BigDecimal("1") { }), "a subclass may be mutable");
    }

    /**
     * The form of a value that cannot change in place is not taken (never compared: no serialization), from the
     * values or by a save in the row; a mutable value's is, and a mergeable one's always.
     */
    @Test
    void theFormOfAValueThatCannotChangeInPlaceIsNotTaken() throws Exception {
        List<String> list = new ArrayList<>(List.of("apple"));
        Map<String, byte[]> forms = InPlaceChanges.forms(Map.of("name", "ada", "list", list));
        assertSame(InPlaceChanges.NOT_COMPARED, forms.get("name"));
        assertArrayEquals(InPlaceChanges.form(list), forms.get("list"));
        assertFalse(InPlaceChanges.cannotChangeInPlace(Mergeable.ONE), "a mergeable value's form is compared");

        SharedSessionData data = loaded();
        data.keepsMap(true);
        data.setAttribute("name", "grace");
        data.setAttribute("list", new ArrayList<>(List.of("pear")));
        AttributeRows.Write write = AttributeRows.Write.forSave(data);
        assertTrue(write.inRow());
        InPlaceChanges.afterWrite(data, write);
        assertSame(InPlaceChanges.NOT_COMPARED, data.storedForms().get("name"));
        assertArrayEquals(InPlaceChanges.form(new ArrayList<>(List.of("pear"))), data.storedForms().get("list"));
    }

    /** An enum that merges (odd, but allowed): its form must be taken. */
    enum Mergeable implements dev.syncsession.session.MergeableAttribute<Mergeable> {
        ONE;

        @Override
        public Mergeable mergeWith(Mergeable stored) {
            return this;
        }
    }

    /** Without a stored form, even a value that cannot change in place counts as changed (it was never saved so). */
    @Test
    void aValueThatCannotChangeInPlaceButHasNoStoredFormCountsAsChanged() {
        SharedSessionData data = loaded();
        Map<String, byte[]> forms = new java.util.HashMap<>(data.storedForms());
        forms.remove("name");
        data.storedForms(forms);
        assertEquals(1, InPlaceChanges.markChanged(data));
        assertEquals(Set.of("name"), data.changedNames());
    }

    @Test
    void aValueThatCannotBeSerializedHasNoFormAndCountsAsChanged() {
        SharedSessionData data = loaded();
        data.setAttribute("handle", new Object());
        data.clean();
        data.storedForms(InPlaceChanges.forms(data.getAllAttributes()));
        assertNull(data.storedForms().get("handle"));
        assertEquals(1, InPlaceChanges.markChanged(data));
        assertEquals(Set.of("handle"), data.changedNames());
    }

    @Test
    void aCopyWithoutStoredFormsMarksNothing() {
        SharedSessionData data = new SharedSessionData("id", "/", "0.0.0.0", 1, 1, 1, 60_000, null);
        data.setAttribute("list", new ArrayList<>(List.of("apple")));
        data.clean();
        assertEquals(0, InPlaceChanges.markChanged(data));
    }

    /** A value's form is the same whichever place it has in a pass, and the same as when written alone. */
    @Test
    void aFormDoesNotDependOnTheOtherValuesOfItsPass() {
        SharedSessionData data = loaded();
        assertTrue(java.util.Arrays.equals(InPlaceChanges.form(data.getAttribute("list")),
                data.storedForms().get("list")));
        SharedSessionData shared = new SharedSessionData("id", "/", "0.0.0.0", 1, 1, 1, 60_000, null);
        List<String> same = new ArrayList<>(List.of("apple"));
        shared.setAttribute("first", same);
        shared.setAttribute("second", same); // one object under two names: no back-reference between forms
        shared.storedForms(InPlaceChanges.forms(shared.getAllAttributes()));
        assertTrue(java.util.Arrays.equals(shared.storedForms().get("first"), shared.storedForms().get("second")));
    }

    @Test
    void aValueThatCannotBeSerializedDoesNotSpoilTheFormsAfterIt() {
        SharedSessionData data = new SharedSessionData("id", "/", "0.0.0.0", 1, 1, 1, 60_000, null);
        for (int i = 0; i < 6; i++) {
            data.setAttribute("value" + i, i % 2 == 0 ? new Object() : new ArrayList<>(List.of("text" + i)));
        }
        data.storedForms(InPlaceChanges.forms(data.getAllAttributes()));
        assertEquals(Set.of("value1", "value3", "value5"), data.storedForms().keySet());
        for (String name : data.storedForms().keySet()) {
            assertTrue(java.util.Arrays.equals(InPlaceChanges.form(data.getAttribute(name)),
                    data.storedForms().get(name)), name);
        }
    }

    @Test
    void whetherAnotherNodeChangedAnAttributeIsToldFromItsStoredForm() {
        SharedSessionData data = loaded();
        assertFalse(InPlaceChanges.changedSince(data.storedForms(), "list",
                InPlaceChanges.form(new ArrayList<>(List.of("apple")))));
        assertTrue(InPlaceChanges.changedSince(data.storedForms(), "list",
                InPlaceChanges.form(new ArrayList<>(List.of("apple", "fig")))));
        assertTrue(InPlaceChanges.changedSince(data.storedForms(), "absent", InPlaceChanges.form("x")));
        assertTrue(InPlaceChanges.changedSince(null, "list", InPlaceChanges.form(new ArrayList<>(List.of("apple")))),
                "without stored forms it cannot be told, and the answer is yes");
    }

    /**
     * The forms a load takes from the bytes of the attribute rows, without serializing, are the forms a comparison
     * computes from the values: a loaded copy that changed nothing marks nothing.
     */
    @Test
    void formsTakenFromTheRowsBytesMatchFormsOfTheValues() throws Exception {
        SharedSessionData data = new SharedSessionData("id", "/", "0.0.0.0", 1, 1, 1, 60_000, null);
        List<String> list = new ArrayList<>(List.of("apple"));
        data.setAttribute("list", list);
        data.setAttribute("name", "ada");
        data.clean();
        data.storedForms(InPlaceChanges.rowForms(Map.of("list", AttributeValues.write(list), "name",
                AttributeValues.write("ada")), Map.of("list", list, "name", "ada")));
        assertSame(InPlaceChanges.NOT_COMPARED, data.storedForms().get("name"), "a string's form is not digested");
        assertEquals(0, InPlaceChanges.markChanged(data));
        list.add("pear");
        assertEquals(1, InPlaceChanges.markChanged(data));
    }

    /** After a save, the attributes it wrote have the forms of what it wrote, and those it removed have none. */
    @Test
    void aSaveUpdatesTheFormsOfWhatItWrote() throws Exception {
        SharedSessionData data = loaded();
        byte[] nameForm = data.storedForms().get("name");
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) data.getAttribute("list");
        list.add("pear");
        data.setAttribute("colour", "red");
        data.setAttribute("name", null);
        InPlaceChanges.markChanged(data);
        InPlaceChanges.afterWrite(data, AttributeRows.Write.changes(data));
        data.clean();
        assertEquals(Set.of("list", "colour"), data.storedForms().keySet());
        assertEquals(0, InPlaceChanges.markChanged(data), "the forms are not those of the values saved");
        assertSame(nameForm, data.storedForms().get("colour"), "a string's form, never compared, is not digested");
        assertEquals(32, data.storedForms().get("list").length, "the list's form is the digest of its bytes");
    }

    /**
     * A whole write (every attribute, the session's other rows deleted) leaves the forms of what it wrote alone: a form
     * kept for an attribute the session no longer has would tell a later merge that the copy had seen that value.
     */
    @Test
    void aWholeWriteLeavesOnlyTheFormsOfWhatItWrote() throws Exception {
        SharedSessionData data = loaded();
        data.storedForms().put("gone", InPlaceChanges.digest(new byte[] {1}));
        InPlaceChanges.afterWrite(data, AttributeRows.Write.whole(data));
        assertEquals(Set.of("list", "name"), data.storedForms().keySet());
        assertEquals(0, InPlaceChanges.markChanged(data));
    }
}
