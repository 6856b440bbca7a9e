/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import dev.syncsession.jetty.internal.SyncSessionData;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.session.SessionData;

/**
 * Finds the attributes a request changed in place, without {@code setAttribute} ({@code cart.add(item)} on the cart a
 * session holds), so that the many-nodes store saves them as changed: each attribute's serialized form is compared
 * with its form as the row holds it, taken when the copy was loaded or last saved. A form is the SHA-256 digest of the
 * attribute's value written alone by Java serialization, so a copy keeps 32 bytes per attribute, not the value's bytes.
 *
 * <p>Cost, paid only where the option is on: a load serializes every attribute once more; the end of each request
 * serializes every attribute it did not set; a save serializes the attributes it wrote. A value whose serialized form
 * is not the same from one serialization to the next (a {@code HashSet} of objects without {@code hashCode}, after
 * a load on another node) is saved as changed each time it is compared; that costs writes, not correctness.
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
    static int markChanged(SyncSessionData data) {
        Map<String, byte[]> stored = data.storedForms();
        if (stored == null) {
            return 0;
        }
        Set<String> set = data.changedNames();
        int marked = 0;
        FormWriter writer = new FormWriter();
        for (String name : data.getKeys()) {
            if (set.contains(name)) {
                continue;
            }
            byte[] now = writer.form(data.getAttribute(name));
            if (now == null || !Arrays.equals(now, stored.get(name))) {
                data.setDirty(name); // recorded as a change, and the data is dirty: Jetty saves it
                marked++;
            }
        }
        return marked;
    }

    /** Takes the forms of every attribute as the row now holds them: after a load, and after a save succeeded. */
    static void storeForms(SyncSessionData data) {
        data.storedForms(forms(data));
    }

    /**
     * Whether another node changed this attribute since the copy's stored forms were taken: its value in the row as
     * read again differs from the stored form. Without stored forms this cannot be told, and the answer is yes.
     *
     * @param stored the copy's stored forms, or null
     * @param name the attribute
     * @param rowValue its value in the row now
     */
    static boolean changedSince(Map<String, byte[]> stored, String name, Object rowValue) {
        if (stored == null) {
            return true;
        }
        byte[] then = stored.get(name);
        return then == null || !Arrays.equals(then, form(rowValue));
    }

    private static Map<String, byte[]> forms(SessionData data) {
        Set<String> names = data.getKeys();
        Map<String, byte[]> forms = new HashMap<>(Math.max(4, names.size() * 2));
        FormWriter writer = new FormWriter();
        for (String name : names) {
            byte[] form = writer.form(data.getAttribute(name));
            if (form != null) {
                forms.put(name, form);
            }
        }
        return forms;
    }

    /** The SHA-256 digest of the value serialized alone, or null if it cannot be serialized. */
    static byte[] form(Object value) {
        return new FormWriter().form(value);
    }

    /**
     * Writes the forms of one pass over a session's attributes through one stream: each value is written after a
     * {@code reset()}, so it is serialized alone (no back-reference to an earlier value), and its bytes, from the
     * reset on, are digested on their own. One stream per pass rather than per value: a stream's buffers are most of
     * what a form costs to allocate. A value that cannot be written leaves the stream unusable, and the next value
     * gets a new one.
     */
    private static final class FormWriter {
        private final MessageDigest digest = sha256();
        private ObjectOutputStream out;

        byte[] form(Object value) {
            try {
                if (out == null) {
                    out = new ObjectOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
                    out.flush(); // the stream header, buffered until now, into the digest that is reset below
                }
                digest.reset();
                out.reset();
                out.writeObject(value);
                out.flush();
                return digest.digest();
            } catch (IOException | RuntimeException e) {
                out = null;
                return null;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
