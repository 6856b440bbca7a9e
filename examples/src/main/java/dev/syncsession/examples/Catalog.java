/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The shop's fixed product list. Immutable. */
final class Catalog {

    /** One product; prices are in cents so that totals are exact. */
    record Product(String id, String name, int priceCents) {
    }

    static final List<Product> PRODUCTS = List.of(
            new Product("mug", "SyncMap mug", 1250),
            new Product("tee", "sync.Map T-shirt", 2400),
            new Product("sticker", "Read/dirty sticker pack", 450),
            new Product("poster", "Promotion poster", 1800));

    private Catalog() {
    }

    static Optional<Product> find(String id) {
        return PRODUCTS.stream().filter(product -> product.id().equals(id)).findFirst();
    }

    static String formatPrice(long cents) {
        return String.format(Locale.ROOT, "$%d.%02d", cents / 100, cents % 100);
    }
}
