/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.store.SyncSessionsConfig;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import dev.syncsession.session.SyncMapSessionStore;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option of the single-node store is checked in one place, {@link SyncSessionsConfig}: the embedded builder and
 * the Jetty XML factory refuse the same value with the same message, which names the option and the value.
 */
class SyncSessionsConfigTest {

    /** A bad value set through the builder, the same set through the XML factory, and the message both give. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                bad(b -> b.sweepInterval(Duration.ZERO), f -> f.setSweepIntervalSec(0),
                        "sweepInterval is PT0S; at least 1 s is needed"),
                bad(b -> b.retainExpired(Duration.ofSeconds(-1)), f -> f.setRetainExpiredSec(-1),
                        "retainExpired is PT-1S; it must be zero or more (unset: ten grace periods)"),
                bad(b -> b.maximumSessions(-5), f -> f.setMaximumSessions(-5),
                        "maximumSessions is -5; it must be positive, or 0 for none"),
                bad(b -> b.sessionCap(-1), f -> f.setSessionCap(-1),
                        "sessionCap is -1; it must be positive, or 0 for no cap"),
                bad(b -> b.allowPackage("shop").allowPackage(""), f -> f.setAllowedPackages("shop, ,blog"),
                        "allowedPackages holds the package name \"\"; name each package, since allowing every class"
                                + " defeats the allow-list"),
                bad(b -> b.absoluteTimeout(Duration.ofSeconds(-3)), f -> f.setAbsoluteTimeoutSec(-3),
                        "absoluteTimeout is PT-3S; at least 1 s is needed"),
                bad(b -> b.maxSessionsPerUser(-2, WhenUserLimitReached.REFUSE_NEW), f -> f.setMaxSessionsPerUser(-2),
                        "maxSessionsPerUser is -2; it must be positive, or 0 for no limit"),
                bad(b -> b.snapshotInterval(Duration.ofMillis(10)), f -> f.setSnapshotIntervalSec(-1),
                        null),
                bad(b -> b.maxSessionsPerUser(0, WhenUserLimitReached.INVALIDATE_OLDEST),
                        f -> f.setWhenUserLimitReachedName("invalidate-oldest"),
                        "whenUserLimitReached is INVALIDATE_OLDEST and maxSessionsPerUser is 0 (no limit); set the"
                        + " limit the policy applies to"),
                bad(b -> b.userAttribute(" "), f -> f.setUserAttribute(" "),
                        "the user attribute name is blank"),
                bad(b -> b.backend(new SyncMapSessionStore()).maximumSessions(10), f -> {
                    f.setBackend(new SyncMapSessionStore());
                    f.setMaximumSessions(10);
                }, "a backend instance was given; backend kind and maximumSessions configure bundled backends and cannot"
                        + " apply to it"));
    }

    private static Arguments bad(Consumer<SyncSessions.Builder> builder,
            Consumer<SyncSessionDataStoreFactory> factory, String message) {
        return Arguments.of(builder, factory, message);
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void theBuilderAndTheXmlFactoryRefuseABadValueWithOneMessageNamingIt(Consumer<SyncSessions.Builder> builder,
            Consumer<SyncSessionDataStoreFactory> factory, String message) {
        SyncSessions.Builder options = SyncSessions.builder();
        builder.accept(options);
        IllegalArgumentException fromBuilder = assertThrows(IllegalArgumentException.class, options::config);
        SyncSessionDataStoreFactory xml = new SyncSessionDataStoreFactory();
        factory.accept(xml);
        IllegalArgumentException fromXml = assertThrows(IllegalArgumentException.class, xml::config);
        if (message != null) {
            assertEquals(message, fromBuilder.getMessage());
            assertEquals(message, fromXml.getMessage());
        } else {
            assertTrue(fromBuilder.getMessage().startsWith("snapshotInterval is "), fromBuilder.getMessage());
            assertTrue(fromXml.getMessage().startsWith("snapshotInterval is "), fromXml.getMessage());
        }
    }

    @Test
    void aBadValueFromJettyXmlFailsTheStartNamingTheOptionAndNothingIsServed() throws Exception {
        Server server = new Server();
        SyncSessionDataStoreFactory xml = new SyncSessionDataStoreFactory();
        xml.setSweepIntervalSec(0);
        server.addBean(xml);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        server.setHandler(context);
        try {
            Exception refused = assertThrows(Exception.class, server::start);
            Throwable cause = refused;
            while (cause != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            assertTrue(cause != null && "sweepInterval is PT0S; at least 1 s is needed".equals(cause.getMessage()),
                    "the start failed for another reason: " + refused);
            assertFalse(context.isStarted());
        } finally {
            server.stop();
        }
    }

    @Test
    void theDefaultsAreValidAndTheXmlFactoryMakesThemToo() {
        SyncSessionsConfig defaults = SyncSessions.builder().config();
        assertEquals(defaults, new SyncSessionDataStoreFactory().config());
        assertEquals(Duration.ofSeconds(60), defaults.sweepInterval());
        assertEquals(Duration.ofSeconds(30), defaults.snapshotInterval());
        assertEquals(Duration.ZERO, defaults.absoluteTimeout());
        assertTrue(defaults.keepSessionsOnStop());
    }

    @Test
    void theXmlFactoryTakesNoChangeOnceItsOptionsAreInForce() {
        SyncSessionDataStoreFactory xml = new SyncSessionDataStoreFactory();
        xml.setSessionCap(100);
        SyncSessionsConfig inForce = xml.config();
        assertEquals(100, inForce.sessionCap());
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> xml.setSessionCap(5));
        assertEquals("this factory's options are already in force; configure it before the server starts",
                late.getMessage());
        assertSame(inForce, xml.config());

        SyncSessionDataStoreFactory embedded = new SyncSessionDataStoreFactory(SyncSessions.builder().config());
        assertThrows(IllegalStateException.class, () -> embedded.setMaximumSessions(10));
    }
}
