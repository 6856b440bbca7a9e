/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds the attributes a request changed in place, without {@code setAttribute} ({@code cart.add(item)} on the cart a
 * session holds), so that the many-nodes store saves them as changed: each attribute's form is compared with its form
 * as the row holds it. A form is the SHA-256 digest of the value's bytes in the attribute table
 * ({@link AttributeValues#write}), so a copy keeps 32 bytes per attribute, not the value's bytes. A load takes the
 * forms from the rows' bytes as read, without serializing; a save updates the forms of what it wrote.
 *
 * <p>Every save of a copy compares (Jetty's own store, which writes the whole map at every save, writes in-place
 * changes whenever it saves, and so does the tier); with the option to detect in-place changes, the end of each
 * request and the commit of its response compare too, so that an in-place change is saved as a {@code setAttribute}
 * is: before the response is sent, and within a save period. A comparison serializes every attribute the request did
 * not set, as Jetty's save of the map does, but for values that cannot change in place (strings, boxed numbers,
 * {@code java.time} values, enum constants: {@link #cannotChangeInPlace}), whose forms are not even taken
 * ({@link #NOT_COMPARED}). A value whose serialized form is not the same from one serialization to the next (a
 * {@code HashSet} of objects without {@code hashCode}, after a load on another node) is saved as changed each time it
 * is compared; that costs writes, not correctness.
 *
 * <p>An attribute that cannot be serialized has no form: it counts as changed, and the save then fails on it as
 * Jetty's store fails on it. Stateless; called on the request's thread, which holds the session's lock.
 */
final class InPlaceChanges {

    private InPlaceChanges() {
    }

    /**
     * Marks as changed each attribute the request did not set or remove whose form differs from the stored one, or
     * that has none; does nothing before the copy has stored forms (data the store did not load or save).
     *
     * @return how many attributes were marked
     */
    static int markChanged(SharedSessionData data) {
        Map<String, byte[]> stored = data.storedForms();
        if (stored == null) {
            return 0;
        }
        Set<String> set = data.changedNames();
        int marked = 0;
        for (Map.Entry<String, Object> attribute : data.getAllAttributes().entrySet()) {
            String name = attribute.getKey();
            if (set.contains(name)) {
                continue;
            }
            Object value = attribute.getValue();
            byte[] then = stored.get(name);
            if (then != null && cannotChangeInPlace(value)) {
                continue; // the same object as when its form was taken: a request replaces it only by setAttribute
            }
            byte[] now = form(value);
            if (now == null || !Arrays.equals(now, then)) {
                data.setDirty(name); // recorded as a change, and the data is dirty: Jetty saves it
                marked++;
            }
        }
        return marked;
    }

    /**
     * The classes whose values no request can change in place (immutable, and final, so that no subclass can make
     * them mutable): a value of one of these, not set by the request, is the object whose form the copy keeps, so it is
     * not serialized to be compared. The common session values; an enum's form is its name, which cannot change.
     */
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class, Short.class,
            Byte.class, Character.class, Boolean.class, Double.class, Float.class, java.util.UUID.class,
            java.util.Locale.class, java.time.Instant.class, java.time.LocalDate.class, java.time.LocalTime.class,
            java.time.LocalDateTime.class, java.time.OffsetDateTime.class, java.time.ZonedDateTime.class,
            java.time.Duration.class);

    /**
     * Whether this value cannot change in place: of an {@link #IMMUTABLE} class, or an enum constant; and, since its
     * form is then never compared, not a {@link dev.syncsession.session.MergeableAttribute}, whose merge consults it.
     */
    static boolean cannotChangeInPlace(Object value) {
        return value instanceof String // the most common value, asked first: a final class, never mergeable
                || value != null && (IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?>)
                && !(value instanceof dev.syncsession.session.MergeableAttribute<?>);
    }

    /**
     * The form kept for a value that {@link #cannotChangeInPlace cannot change in place}, in place of its digest: no
     * comparison reads it (the in-place comparison skips such values, and a merge compares the forms of mergeable
     * values only), so it is not serialized to be taken. Never equal to a digest.
     */
    static final byte[] NOT_COMPARED = new byte[0];

    /**
     * The forms of these values: serialized and digested, or {@link #NOT_COMPARED} for values that cannot change in
     * place; those that cannot be serialized are left out.
     */
    static Map<String, byte[]> forms(Map<String, Object> values) {
        Map<String, byte[]> forms = new HashMap<>(Math.max(4, values.size() * 2));
        values.forEach((name, value) -> {
            byte[] form = cannotChangeInPlace(value) ? NOT_COMPARED : form(value);
            if (form != null) {
                forms.put(name, form);
            }
        });
        return forms;
    }

    /**
     * The forms of a row's attributes as read (a load, a save's re-read): from the bytes of its attribute rows, without
     * serializing; or, for a row that keeps Jetty's map, from its values.
     *
     * @param values the row's attributes, read from it
     */
    static Map<String, byte[]> rowForms(VersionedRows.StoredRow row, Map<String, Object> values) {
        return row.keepsMap() ? forms(values) : rowForms(row.attributes(), values);
    }

    /**
     * The forms of a row's attributes, from their bytes as read from the attribute table, or {@link #NOT_COMPARED}
     * for those whose value, read from them, cannot change in place.
     */
    static Map<String, byte[]> rowForms(Map<String, byte[]> rowBytes, Map<String, Object> values) {
        Map<String, byte[]> forms = new HashMap<>(Math.max(4, rowBytes.size() * 2));
        rowBytes.forEach((name, bytes) -> forms.put(name,
                cannotChangeInPlace(values.get(name)) ? NOT_COMPARED : digest(bytes)));
        return forms;
    }

    /**
     * After a save succeeded: the attributes it wrote have the forms of the bytes written, those it removed none. The
     * copy's forms are changed in place (each one the copy holds is its own), removals first: should a digest fail to
     * be made, every form changed so far is right, and one left as it was only makes a later comparison save that
     * attribute again.
     */
    static void afterWrite(SharedSessionData data, AttributeRows.Write write) {
        Map<String, byte[]> forms = data.storedForms();
        if (write.whole() || forms == null) {
            forms = new HashMap<>(Math.max(4, write.names().length * 2));
            data.storedForms(forms);
        }
        for (String removed : write.removed()) {
            forms.remove(removed);
        }
        for (int i = 0; i < write.names().length; i++) {
            byte[] bytes = write.values()[i];
            String name = write.names()[i];
            // null: see Write; the copy holds the value written
            forms.put(name, bytes == null || cannotChangeInPlace(data.getAttribute(name)) ? NOT_COMPARED
                    : digest(bytes));
        }
    }

    /**
     * Whether another node changed this attribute since the copy's stored forms were taken: its form in the row as
     * read again differs from the stored form. Without stored forms this cannot be told, and the answer is yes.
     *
     * @param stored the copy's stored forms, or null
     * @param name the attribute
     * @param rowForm its form in the row now
     */
    static boolean changedSince(Map<String, byte[]> stored, String name, byte[] rowForm) {
        if (stored == null) {
            return true;
        }
        byte[] then = stored.get(name);
        return then == null || !Arrays.equals(then, rowForm);
    }

    /** The value's form: the digest of its bytes for the attribute table, or null if it cannot be serialized. */
    static byte[] form(Object value) {
        try {
            return digest(AttributeValues.write(value));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The SHA-256 digest of the bytes. */
    static byte[] digest(byte[] bytes) {
        try {
            return ((MessageDigest) SHA_256.clone()).digest(bytes); // cheaper than a provider lookup per digest
        } catch (CloneNotSupportedException e) {
            return sha256().digest(bytes);
        }
    }

    /** A digest never used, only cloned: thread-safe. */
    private static final MessageDigest SHA_256 = sha256();

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
