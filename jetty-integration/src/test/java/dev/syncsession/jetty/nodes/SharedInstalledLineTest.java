/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.session.DatabaseAdaptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The database as the many-nodes tier's installed line names it: never with what can carry credentials. */
class SharedInstalledLineTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db:5432/app                                   | jdbc:postgresql://db:5432/app",
        "jdbc:postgresql://db:5432/app?user=ada&password=secret           | jdbc:postgresql://db:5432/app",
        "jdbc:postgresql://ada:secret@db:5432/app                         | jdbc:postgresql://db:5432/app",
        "jdbc:sqlserver://db:1433;databaseName=app;password=secret        | jdbc:sqlserver://db:1433",
        "jdbc:oracle:thin:ada/secret@db:1521/app                          | jdbc:oracle:thin:db:1521/app",
        "jdbc:oracle:thin:ada/secret@//db:1521/app                        | jdbc:oracle:thin://db:1521/app",
    })
    void aJdbcUrlLosesItsUserAndProperties(String url, String logged) {
        assertEquals(logged, SharedInstalledLine.withoutCredentials(url));
    }

    @Test
    void aPoolIsNamedByItsUrlWithoutCredentialsAndItsSize() {
        PooledSessionDatabase pool = new PooledSessionDatabase("jdbc:postgresql://db/app?password=secret", "ada",
                "secret", 4, 3);
        DatabaseAdaptor adaptor = new DatabaseAdaptor();
        adaptor.setDatasource(pool);
        assertEquals("jdbc:postgresql://db/app (pool " + pool.poolName() + ", at most 4 connections)",
                SharedInstalledLine.database(adaptor));
    }
}
