/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ObjectInputStream;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bytes of an attribute-table row: the JDK value types inline, every other value serialized. */
class AttributeValuesTest {

    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AttributeValues values = new AttributeValues(in -> {
        streamsOpened.incrementAndGet();
        return new ObjectInputStream(in);
    });

    @Test
    void theJdkValueTypesReadBackEqualAndOfTheirClassWithoutAStream() throws Exception {
        List<Object> inline = List.of("", "ada", "grüße, 日本", "a pair \uD83D\uDE00 of surrogates", "x".repeat(70_000),
                0, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L, Long.MIN_VALUE, -1L, true, false, 0.0, -0.0, Double.NaN,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE);
        for (Object value : inline) {
            byte[] bytes = AttributeValues.write(value);
            assertTrue(bytes[0] >= 1 && bytes[0] <= 5, () -> value + " is written inline");
            Object read = values.read(bytes);
            assertEquals(value.getClass(), read.getClass());
            assertEquals(value, read);
        }
        assertEquals(0, streamsOpened.get(), "no ObjectInputStream for an inline value");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) values.read(
                AttributeValues.write(-0.0))));
        assertArrayEquals(("\u0001" + "ada").getBytes(StandardCharsets.UTF_8), AttributeValues.write("ada"),
                "a string is its tag and its UTF-8");
    }

    @Test
    void aStringWithAnUnpairedSurrogateIsSerializedAndKeepsIt() throws Exception {
        for (String value : List.of("a\uD800", "\uDC00b", "\uD800\uD800\uDC00", "end\uDBFF")) {
            byte[] bytes = AttributeValues.write(value);
            assertEquals((byte) 0xAC, bytes[0], "UTF-8 cannot carry an unpaired surrogate: serialized");
            assertEquals(value, values.read(bytes));
        }
        assertEquals(4, streamsOpened.get());
    }

    @Test
    void otherValuesAreSerializedAndReadThroughTheStoresStream() throws Exception {
        ArrayList<Object> cart = new ArrayList<>(List.of("a", 1));
        for (Object value : List.of(cart, 'c', (short) 2, 1.5f, new java.math.BigDecimal("1.10"))) {
            byte[] bytes = AttributeValues.write(value);
            assertEquals((byte) 0xAC, bytes[0]);
            assertEquals(value, values.read(bytes));
        }
        assertEquals(5, streamsOpened.get());
    }

    @Test
    void corruptRowsAreRefusedNamingWhatIsWrong() {
        assertTrue(assertThrows(StreamCorruptedException.class, () -> values.read(new byte[0])).getMessage()
                .contains("no bytes"));
        assertTrue(assertThrows(StreamCorruptedException.class, () -> values.read(new byte[] {2, 0, 0}))
                .getMessage().contains("an Integer's row has 3 bytes, not 5"));
        assertTrue(assertThrows(StreamCorruptedException.class, () -> values.read(new byte[9 + 1]))
                .getMessage().length() > 0); // tag 0: neither inline nor serialization's magic
        byte[] longRow = new byte[10];
        longRow[0] = 3;
        assertTrue(assertThrows(StreamCorruptedException.class, () -> values.read(longRow)).getMessage()
                .contains("a Long's row has 10 bytes, not 9"));
        assertTrue(assertThrows(StreamCorruptedException.class, () -> values.read(new byte[] {4, 2}))
                .getMessage().contains("Boolean"));
        assertTrue(assertThrows(StreamCorruptedException.class, () -> values.read(new byte[] {5, 1}))
                .getMessage().contains("a Double's row"));
    }
}
