/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.map;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import junit.framework.TestCase;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Guava's collection contract suites (guava-testlib's {@link ConcurrentMapTestSuiteBuilder}: the {@code Map} and
 * {@code ConcurrentMap} methods, every view, iterators with removal, {@code equals}/{@code hashCode}/{@code toString},
 * with maps of 0, 1 and several entries), written independently of SyncMap. They run against maps built in each of
 * SyncMap's states, because the same key can then be in different tables: every key only in the dirty table (a new
 * map), every key in the read table (after a promotion), and a read table amended by a dirty one holding some keys.
 *
 * <p>The suites are JUnit 3 tests; each becomes a dynamic Jupiter test here, so no vintage engine is needed.
 */
class SyncMapGuavaContractTest {

    @TestFactory
    Stream<DynamicNode> keysOnlyInTheDirtyTable() {
        return suite("SyncMap, new", map -> { });
    }

    @TestFactory
    Stream<DynamicNode> keysInThePromotedReadTable() {
        return suite("SyncMap, promoted", SyncMapGuavaContractTest::promote);
    }

    @TestFactory
    Stream<DynamicNode> readTableAmendedByADirtyTable() {
        return suite("SyncMap, amended", map -> {
            // Half the keys go back in after a promotion: they are then found in the dirty table only.
            List<String> keys = new ArrayList<>(map.keySet());
            Map<String, String> later = new java.util.LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i += 2) {
                later.put(keys.get(i), map.remove(keys.get(i)));
            }
            promote(map);
            map.put("amending key", "dropped again"); // starts a dirty rebuild
            map.remove("amending key");
            map.putAll(later);
        });
    }

    private static void promote(SyncMap<String, String> map) {
        map.range((k, v) -> true);
    }

    private static Stream<DynamicNode> suite(String name, Consumer<SyncMap<String, String>> shape) {
        TestSuite suite = ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                SyncMap<String, String> map = new SyncMap<>();
                for (Map.Entry<String, String> e : entries) {
                    map.put(e.getKey(), e.getValue());
                }
                shape.accept(map);
                return map;
            }
        })
                .named(name)
                .withFeatures(MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionSize.ANY)
                .createTestSuite();
        return Stream.of(node(suite));
    }

    /** A JUnit 3 suite as a tree of dynamic tests, each running its test case and rethrowing what it failed with. */
    private static DynamicNode node(junit.framework.Test test) {
        if (test instanceof TestSuite suite) {
            List<DynamicNode> children = new ArrayList<>();
            for (junit.framework.Test child : Collections.list(suite.tests())) {
                children.add(node(child));
            }
            return DynamicContainer.dynamicContainer(String.valueOf(suite.getName()), children);
        }
        return DynamicTest.dynamicTest(((TestCase) test).getName(), () -> {
            TestResult result = new TestResult();
            test.run(result);
            for (TestFailure failure : Collections.list(result.errors())) {
                throw failure.thrownException();
            }
            for (TestFailure failure : Collections.list(result.failures())) {
                throw failure.thrownException();
            }
            if (result.runCount() != 1) {
                throw new AssertionError("the test case did not run: " + test);
            }
        });
    }
}
