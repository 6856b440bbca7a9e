/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The text of the tier's statements on the session and attribute tables, made once per shape instead of at every
 * call. A shape is what a text depends on besides the schema's names: which statement, and for a save, where the
 * attributes go, whether the write is whole, how many names it sets and removes, and whether it writes the user and
 * checks the version. The driver prepares each text once per connection; making it again at each save cost the
 * server about 2 % of a request's CPU (BENCHMARKS.md, "What we tried").
 *
 * <p>Bounded: past {@value #LIMIT} shapes (saves of many attributes at once, in many combinations), a text is made
 * at each call and not kept. Emptied when the store starts, because the schema's names may have changed while it
 * was stopped. Thread-safe.
 */
final class StatementTexts {

    /** The most shapes kept. */
    static final int LIMIT = 256;

    private final ConcurrentHashMap<Object, String> texts = new ConcurrentHashMap<>();

    /**
     * The text of a statement of this shape, made by {@code make} the first time.
     *
     * @param shape a value with {@code equals} and {@code hashCode}: a record or an enum constant
     */
    String of(Object shape, Supplier<String> make) {
        String text = texts.get(shape);
        if (text == null) {
            text = make.get();
            if (texts.size() < LIMIT) {
                texts.putIfAbsent(shape, text);
            }
        }
        return text;
    }

    /** Forgets every text: the store is starting, perhaps with other names. */
    void clear() {
        texts.clear();
    }
}
