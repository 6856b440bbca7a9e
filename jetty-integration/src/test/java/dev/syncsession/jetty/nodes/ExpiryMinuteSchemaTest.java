/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.jetty.session.JDBCSessionDataStore.SessionTableSchema;
import org.junit.jupiter.api.Test;

/** The expiry minute and the schema's names; its statements run in {@code SharedSessionDataStoreContractIT}. */
class ExpiryMinuteSchemaTest {

    @Test
    void anExpiryTimeIsInTheMinuteItEndsRoundedUp() {
        assertEquals(1, ExpiryMinuteSchema.minuteOf(1));
        assertEquals(1, ExpiryMinuteSchema.minuteOf(60_000));
        assertEquals(2, ExpiryMinuteSchema.minuteOf(60_001));
        // expiry <= t implies minuteOf(expiry) <= minuteOf(t): what lets a search range over the minutes first
        for (long expiry = 59_990; expiry <= 60_010; expiry++) {
            for (long t = expiry; t <= 60_020; t++) {
                assertTrue(ExpiryMinuteSchema.minuteOf(expiry) <= ExpiryMinuteSchema.minuteOf(t));
            }
        }
    }

    @Test
    void theConfiguredNamesAreKept() {
        SessionTableSchema given = new SessionTableSchema();
        given.setSchemaName("sessions");
        given.setTableName("AppSessions");
        given.setIdColumn("sid");
        given.setExpiryTimeColumn("expires");
        given.setMapColumn("attributes");
        ExpiryMinuteSchema schema = ExpiryMinuteSchema.of(given);
        assertEquals(given.toString().replaceAll("^[^\\[]*", ""), schema.toString().replaceAll("^[^\\[]*", ""));
        assertEquals("attributes", schema.getMapColumn());
        assertSame(schema, ExpiryMinuteSchema.of(schema));
    }

    @Test
    void aSubclassOfJettysSchemaIsRefusedByName() {
        SessionTableSchema custom = new SessionTableSchema() {
        };
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ExpiryMinuteSchema.of(custom));
        assertTrue(refused.getMessage().contains(custom.getClass().getName()), refused.getMessage());
    }
}
