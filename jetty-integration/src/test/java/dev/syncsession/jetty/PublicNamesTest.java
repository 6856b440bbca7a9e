/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.syncsession.jetty.metrics.SessionStoreMetrics;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.session.SessionCache;
import org.junit.jupiter.api.Test;

/**
 * The names operators type or read, pinned: the ini properties of the standalone modules, the Micrometer metric
 * names, and the JMX attributes and operations of every syncsession MBean. A rename changes them on purpose, here
 * and in docs/architecture.md's name table; a feature that adds a name adds it here. Each list is sorted, and a
 * failure prints the whole list as it is now.
 */
class PublicNamesTest {

    /** What every Jetty component's MBean has. */
    private static final Set<String> LIFECYCLE = Set.of("state", "start()", "stop()", "destroy()", "dump()",
            "dumpStdErr()");

    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Pattern INI_PROPERTY = Pattern.compile("^#?(jetty\\.session\\.[\\w.]+)=", Pattern.MULTILINE);
    private static final Pattern XML_PROPERTY =
            Pattern.compile("(?:property=\"|<Property name=\")(jetty\\.session\\.[\\w.]+)\"");

    @Test
    void iniProperties() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".mod") || f.toString().endsWith(".xml"))
                    .toList()) {
                String text = Files.readString(file);
                collect(INI_PROPERTY.matcher(text), names);
                collect(XML_PROPERTY.matcher(text), names);
            }
        }
        assertNames(List.of(
                    "jetty.session.evictionPolicy",
                    "jetty.session.flushOnResponseCommit",
                    "jetty.session.gracePeriod.seconds",
                    "jetty.session.invalidateOnShutdown",
                    "jetty.session.jdbc.blobType",
                    "jetty.session.jdbc.datasourceName",
                    "jetty.session.jdbc.driverClass",
                    "jetty.session.jdbc.driverUrl",
                    "jetty.session.jdbc.longType",
                    "jetty.session.jdbc.pool.connectionTimeout.seconds",
                    "jetty.session.jdbc.pool.maxSize",
                    "jetty.session.jdbc.pool.password",
                    "jetty.session.jdbc.pool.url",
                    "jetty.session.jdbc.pool.user",
                    "jetty.session.jdbc.schema.accessTimeColumn",
                    "jetty.session.jdbc.schema.catalogName",
                    "jetty.session.jdbc.schema.contextPathColumn",
                    "jetty.session.jdbc.schema.cookieTimeColumn",
                    "jetty.session.jdbc.schema.createTimeColumn",
                    "jetty.session.jdbc.schema.expiryTimeColumn",
                    "jetty.session.jdbc.schema.idColumn",
                    "jetty.session.jdbc.schema.lastAccessTimeColumn",
                    "jetty.session.jdbc.schema.lastNodeColumn",
                    "jetty.session.jdbc.schema.lastSavedTimeColumn",
                    "jetty.session.jdbc.schema.mapColumn",
                    "jetty.session.jdbc.schema.maxIntervalColumn",
                    "jetty.session.jdbc.schema.schemaName",
                    "jetty.session.jdbc.schema.table",
                    "jetty.session.jdbc.schema.virtualHostColumn",
                    "jetty.session.jdbc.stringType",
                    "jetty.session.removeUnloadableSessions",
                    "jetty.session.saveOnCreate",
                    "jetty.session.saveOnInactiveEviction",
                    "jetty.session.savePeriod.seconds",
                    "jetty.session.syncmap.absoluteTimeout.seconds",
                    "jetty.session.syncmap.allowedPackages",
                    "jetty.session.syncmap.attributesSerialized",
                    "jetty.session.syncmap.detectInPlaceChanges",
                    "jetty.session.syncmap.keepSessionsOnStop",
                    "jetty.session.syncmap.maxSessionsPerUser",
                    "jetty.session.syncmap.maximumSessions",
                    "jetty.session.syncmap.retainExpired.seconds",
                    "jetty.session.syncmap.retryAfter.seconds",
                    "jetty.session.syncmap.revocationPollInterval.seconds",
                    "jetty.session.syncmap.secureCookies",
                    "jetty.session.syncmap.sessionCap",
                    "jetty.session.syncmap.sessionsByUser",
                    "jetty.session.syncmap.snapshotFile",
                    "jetty.session.syncmap.snapshotInterval.seconds",
                    "jetty.session.syncmap.sweepInterval.seconds",
                    "jetty.session.syncmap.userAttribute",
                    "jetty.session.syncmap.whenUserLimitReached"), names, "ini properties");
    }

    @Test
    void singleNodeMetricNames() throws Exception {
        try (SessionTestServer server = SessionTestServer.withSyncMapStore(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT))) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new SessionStoreMetrics(server.sessionHandler()).bindTo(registry);
            Set<String> names = new TreeSet<>();
            for (Meter meter : registry.getMeters()) {
                names.add(meter.getId().getName());
            }
            assertNames(List.of(
                    "syncsession.map.misses",
                    "syncsession.map.promotions",
                    "syncsession.sessions.active.current",
                    "syncsession.sessions.creations",
                    "syncsession.sessions.expired",
                    "syncsession.sessions.ids.refused",
                    "syncsession.sessions.refused",
                    "syncsession.snapshot.age",
                    "syncsession.sweep.duration",
                    "syncsession.sweep.removed",
                    "syncsession.sweeps"), names, "metric names");
        }
    }

    @Test
    void singleNodeJmxNames() throws Exception {
        MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        try (SessionTestServer server = SessionTestServer.with(SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT),
                new SyncSessionDataStoreFactory(), new MBeanContainer(mbeans))) {
            Set<String> names = new TreeSet<>();
            for (ObjectName name : mbeans.queryNames(ObjectName.getInstance("dev.syncsession.*:*"), null)) {
                MBeanInfo info = mbeans.getMBeanInfo(name);
                String type = name.getKeyProperty("type");
                if (type.startsWith("sessiontestserver")) {
                    continue; // the test's own housekeeper
                }
                for (MBeanAttributeInfo attribute : info.getAttributes()) {
                    if (!LIFECYCLE.contains(attribute.getName())) {
                        names.add(type + "." + attribute.getName());
                    }
                }
                for (MBeanOperationInfo operation : info.getOperations()) {
                    if (!LIFECYCLE.contains(operation.getName() + "()")) {
                        names.add(type + "." + operation.getName() + "()");
                    }
                }
            }
            assertNames(List.of(
                    "backendlifecycle.lastSweepDurationMs",
                    "backendlifecycle.mapMisses",
                    "backendlifecycle.mapPromotions",
                    "backendlifecycle.records",
                    "backendlifecycle.sessionCap",
                    "backendlifecycle.sessionsRefused",
                    "backendlifecycle.snapshotAgeMillis",
                    "backendlifecycle.snapshotWriteFailure",
                    "backendlifecycle.snapshotWritten",
                    "backendlifecycle.sweepNow()",
                    "backendlifecycle.sweepRemoved",
                    "backendlifecycle.sweepRuns",
                    "backendlifecycle.sweepScanned",
                    "cachedcopycheck.copiesDropped",
                    "cachedcopycheck.copiesReloaded",
                    "cachedcopycheck.copiesTrusted",
                    "cachedcopycheck.copiesVerified",
                    "redeploydetach.keepSessionsOnStop",
                    "redeploydetach.sessionsDroppedOnStop",
                    "syncmapsessioncache.evictionPolicy",
                    "syncmapsessioncache.mapDirtyRebuilds",
                    "syncmapsessioncache.mapEntriesCopied",
                    "syncmapsessioncache.mapMisses",
                    "syncmapsessioncache.mapPromotions",
                    "syncmapsessioncache.removeUnloadableSessions",
                    "syncmapsessioncache.resetStats()",
                    "syncmapsessioncache.saveOnCreate",
                    "syncmapsessioncache.saveOnInactiveEviction",
                    "syncmapsessioncache.sessionsCurrent",
                    "syncmapsessioncache.sessionsMax",
                    "syncmapsessioncache.sessionsTotal",
                    "syncsessiondatastore.absoluteTimeoutSec",
                    "syncsessiondatastore.gracePeriodSec",
                    "syncsessiondatastore.maxSessionsPerUser",
                    "syncsessiondatastore.refusedSessionIds",
                    "syncsessiondatastore.savePeriodSec",
                    "syncsessiondatastore.sessionsCreated",
                    "syncsessiondatastore.sessionsDeleted",
                    "syncsessiondatastore.sessionsExpired",
                    "syncsessiondatastore.sessionsLoaded",
                    "syncsessiondatastore.sessionsStored",
                    "syncsessiondatastore.snapshotLost",
                    "syncsessiondatastore.snapshotRestored",
                    "syncsessiondatastore.userAttribute",
                    "userindex.invalidateSessionsOfUser()",
                    "userindex.sessionsIndexedByUser",
                    "userindex.sessionsOfUser()"), names, "JMX names");
        }
    }

    private static void collect(Matcher matcher, Set<String> into) {
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }

    private static void assertNames(List<String> expected, Set<String> actual, String what) {
        assertEquals(String.join("\n", expected), String.join("\n", actual), what + " changed; now:\n\""
                + String.join("\",\n\"", actual) + "\"");
    }
}
