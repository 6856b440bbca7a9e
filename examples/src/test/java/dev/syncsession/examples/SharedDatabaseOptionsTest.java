/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The options that share sessions between instances through a database. */
class SharedDatabaseOptionsTest {

    @Test
    void jdbcUrlUserPasswordAndNodeComeFromFlagsOrEnvironment() {
        ExampleOptions options = ExampleOptions.parse(
                new String[] {"--jdbc-url", "jdbc:postgresql://db/app", "--jdbc-user", "app", "--node", "web1"},
                Map.of("SYNCSESSION_JDBC_PASSWORD", "s3cret"));
        assertTrue(options.shared());
        assertEquals("jdbc:postgresql://db/app", options.jdbcUrl());
        assertEquals("app", options.jdbcUser());
        assertEquals("s3cret", options.jdbcPassword());
        assertEquals("web1", options.node());
        assertFalse(options.toString().contains("s3cret"), options.toString());
    }

    @Test
    void withoutJdbcUrlTheStoreIsProcessLocal() {
        assertFalse(ExampleOptions.defaults().shared());
    }

    @Test
    void nodeNameWithoutADatabaseIsRefusedAsPretendingToShare() {
        ExampleOptions.InvalidOptionException e = assertThrows(ExampleOptions.InvalidOptionException.class,
                () -> ExampleOptions.parse(new String[] {"--node", "web1"}, Map.of()));
        assertTrue(e.getMessage().contains("--jdbc-url"), e.getMessage());
    }

    @Test
    void processLocalBackendOptionsAreRefusedWithADatabase() {
        assertThrows(ExampleOptions.InvalidOptionException.class, () -> ExampleOptions.parse(
                new String[] {"--jdbc-url", "jdbc:postgresql://db/app", "--maximum-sessions", "10"}, Map.of()));
    }

    @Test
    void nodeNameWithADotIsRefused() {
        ExampleOptions.InvalidOptionException e = assertThrows(ExampleOptions.InvalidOptionException.class,
                () -> ExampleOptions.parse(
                        new String[] {"--jdbc-url", "jdbc:postgresql://db/app", "--node", "web.1"}, Map.of()));
        assertTrue(e.getMessage().contains("web.1"), e.getMessage());
    }
}
