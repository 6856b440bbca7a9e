/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import dev.syncsession.session.MergeableAttribute;
import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * The overlap benchmark's cart: immutable, its items a set, and mergeable by union, so that items added on two nodes
 * at once are both kept where the store merges ({@link MergeableAttribute}); Jetty's stores keep the later save's.
 */
final class BenchCart implements MergeableAttribute<BenchCart>, Serializable {
    private static final long serialVersionUID = 1L;

    static final BenchCart EMPTY = new BenchCart(new TreeSet<>());

    private final TreeSet<String> items;

    private BenchCart(TreeSet<String> items) {
        this.items = items;
    }

    BenchCart with(String item) {
        TreeSet<String> more = new TreeSet<>(items);
        more.add(item);
        return new BenchCart(more);
    }

    Set<String> items() {
        return items;
    }

    @Override
    public BenchCart mergeWith(BenchCart stored) {
        TreeSet<String> union = new TreeSet<>(items);
        union.addAll(stored.items);
        return new BenchCart(union);
    }
}
