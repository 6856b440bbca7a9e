/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/** The allow-list other readers of serialized attributes build from package names (the many-nodes tier's). */
class AttributeClassFilterTest {

    @Test
    void allowingPackagesAllowsTheJdkDefaultsAndEachPackageWithItsSubPackagesOnly() {
        AttributeClassFilter filter = AttributeClassFilter.allowingPackages(List.of("dev.syncsession"));
        assertTrue(filter.allows(String.class));
        assertTrue(filter.allows(java.time.Instant[].class));
        assertTrue(filter.allows(AttributeClassFilterTest.class), "a sub-package of an allowed package");
        assertFalse(filter.allows(PriorityQueue.class));
        assertFalse(AttributeClassFilter.allowingPackages(List.of("dev.syncsession.sess"))
                .allows(AttributeClassFilterTest.class), "a package name is not a prefix of another's");
        assertFalse(AttributeClassFilter.allowingPackages(List.of()).allows(AttributeClassFilterTest.class));
    }

    @Test
    void aBlankPackageNameIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttributeClassFilter.allowingPackages(List.of("dev.syncsession", " ")));
        assertEquals("package name is \" \"; allowing every class defeats the filter", e.getMessage());
    }
}
