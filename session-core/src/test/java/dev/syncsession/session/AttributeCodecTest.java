/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attribute codec: the JDK types inline, everything else in one serialization stream, the old form still read. */
class AttributeCodecTest {

    private static final ClassLoader LOADER = AttributeCodecTest.class.getClassLoader();

    private static Map<String, Object> roundTrip(Map<String, Object> attributes) {
        return AttributeCodec.read(AttributeCodec.write(attributes), LOADER, null);
    }

    private static boolean holdsASerializationStream(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == (byte) 0xAC && bytes[i + 1] == (byte) 0xED) {
                return true;
            }
        }
        return false;
    }

    @Test
    void jdkValuesAreWrittenInlineAndReadBackWithTheirTypesInOrder() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user", "Ada Lovelace ✓");
        attributes.put("visits", 42);
        attributes.put("since", -7L);
        attributes.put("admin", Boolean.TRUE);
        attributes.put("score", 0.1);
        attributes.put("empty", "");
        byte[] bytes = AttributeCodec.write(attributes);
        assertEquals(AttributeCodec.TAGGED, bytes[0]);
        assertFalse(holdsASerializationStream(bytes), "no ObjectOutputStream for JDK values alone");
        Map<String, Object> read = AttributeCodec.read(bytes, LOADER, null);
        assertEquals(attributes, read);
        assertEquals(List.copyOf(attributes.keySet()), List.copyOf(read.keySet()));
        assertEquals(Long.class, read.get("since").getClass());
        assertEquals(Double.class, read.get("score").getClass());
    }

    @Test
    void otherValuesGoThroughOneSerializationStreamAndKeepTheirPlaceAmongTheInlineOnes() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("cart", new ArrayList<>(List.of("mug", "tea")));
        attributes.put("user", "ada");
        attributes.put("prefs", new LinkedHashMap<>(Map.of("theme", "dark")));
        attributes.put("visits", 3);
        attributes.put("big", java.math.BigInteger.TEN);
        Map<String, Object> read = roundTrip(attributes);
        assertEquals(attributes, read);
        assertEquals(List.copyOf(attributes.keySet()), List.copyOf(read.keySet()));
    }

    @Test
    void aStringTooLongForWriteUtfIsSerializedInstead() {
        String euros = "€".repeat(30_000); // 90,000 bytes in modified UTF-8: past writeUTF's 65,535
        assertEquals(Map.of("text", euros), roundTrip(Map.of("text", euros)));
    }

    @Test
    void theFormerFormOneSerializationStreamIsStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeInt(2);
            out.writeUTF("user");
            out.writeObject("ada");
            out.writeUTF("visits");
            out.writeObject(7);
        }
        Map<String, Object> read = AttributeCodec.read(bytes.toByteArray(), LOADER, null);
        assertEquals(Map.of("user", "ada", "visits", 7), read);
    }

    @Test
    void damagedTaggedBytesAreUnreadableNamingTheAttribute() {
        byte[] bytes = AttributeCodec.write(new LinkedHashMap<>(Map.of("visits", 1)));
        bytes[bytes.length - 5] = 77; // the tag byte before the int
        UnreadableSessionException e = assertThrows(UnreadableSessionException.class,
                () -> AttributeCodec.read(bytes, LOADER, null));
        assertEquals("visits", e.attributeName());
        assertTrue(e.getMessage().contains("unknown value tag 77"), e.getMessage());
    }

    @Test
    void aClassOffTheAllowListInTheSerializationStreamIsRefusedNamingTheAttribute() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user", "ada");
        attributes.put("gadget", new SessionAttributesTest.Cart(List.of("x")));
        byte[] bytes = AttributeCodec.write(attributes);
        AttributeClassFilter defaults = new AttributeClassFilter(java.util.Set.of(), List.of());
        UnreadableSessionException e = assertThrows(UnreadableSessionException.class,
                () -> AttributeCodec.read(bytes, LOADER, defaults));
        assertEquals("gadget", e.attributeName());
        assertTrue(e.getMessage().contains("not on the allow-list"), e.getMessage());
    }

    @Test
    void namesReadBackAreOneCopyEach() {
        byte[] bytes = AttributeCodec.write(new LinkedHashMap<>(Map.of("shopping-cart-" + 42, 1)));
        String first = AttributeCodec.read(bytes, LOADER, null).keySet().iterator().next();
        String second = AttributeCodec.read(bytes, LOADER, null).keySet().iterator().next();
        org.junit.jupiter.api.Assertions.assertSame(first, second, "one String for the name across reads");
    }
}
