/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes.shop;

import java.io.Serializable;

/** An application's attribute class, in a package the many-nodes tests allow ({@code RowAllowListIT}). */
public final class Basket implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String item;

    public Basket(String item) {
        this.item = item;
    }

    @Override
    public String toString() {
        return "basket of " + item;
    }
}
