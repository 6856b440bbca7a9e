/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StatementTextsTest {

    private final StatementTexts texts = new StatementTexts();
    private final AtomicInteger made = new AtomicInteger();

    private Supplier<String> text(String sql) {
        return () -> {
            made.incrementAndGet();
            return new String(sql); // a new instance each time, so that a kept one can be told apart
        };
    }

    @Test
    void aShapeIsMadeOnceAndItsTextKept() {
        String first = texts.of("a", text("select 1"));
        assertSame(first, texts.of("a", text("select 1")));
        assertEquals(1, made.get());
    }

    @Test
    void eachShapeHasItsOwnText() {
        assertEquals("select 1", texts.of("a", text("select 1")));
        assertEquals("select 2", texts.of("b", text("select 2")));
        assertEquals("select 1", texts.of("a", text("select 3")));
        assertEquals(2, made.get());
    }

    @Test
    void pastTheLimitTextsAreMadeEachTimeAndNotKept() {
        for (int i = 0; i < StatementTexts.LIMIT; i++) {
            texts.of(i, text("select " + i));
        }
        made.set(0);
        texts.of("late", text("select late"));
        texts.of("late", text("select late"));
        assertEquals(2, made.get());
        texts.of(0, text("select 0"));
        assertEquals(2, made.get()); // the kept ones are still kept
    }

    @Test
    void clearingForgetsEveryText() {
        texts.of("a", text("select from old_table"));
        texts.clear();
        assertEquals("select from new_table", texts.of("a", text("select from new_table")));
        assertEquals(2, made.get());
    }
}
