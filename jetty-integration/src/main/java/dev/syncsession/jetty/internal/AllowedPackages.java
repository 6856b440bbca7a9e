/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import java.util.List;
import java.util.Objects;

/**
 * The check of the {@code allowedPackages} option that both tiers' configurations share ({@code SyncSessionsConfig},
 * the many-nodes {@code SharedSessionsConfig}): the packages whose attribute classes may be read from outside the
 * process, besides the JDK value types. Not meant for applications.
 */
public final class AllowedPackages {

    private AllowedPackages() {
    }

    /**
     * Checks the package names.
     *
     * @param packageNames the option's value
     * @return an unmodifiable copy
     * @throws NullPointerException if the list or a name is null
     * @throws IllegalArgumentException naming a blank package name
     */
    public static List<String> checked(List<String> packageNames) {
        Objects.requireNonNull(packageNames, "allowedPackages");
        for (String name : packageNames) {
            if (Objects.requireNonNull(name, "a name in allowedPackages").isBlank()) {
                throw new IllegalArgumentException("allowedPackages holds the package name \"" + name
                        + "\"; name each package, since allowing every class defeats the allow-list");
            }
        }
        return List.copyOf(packageNames);
    }
}
