/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.users.WhenUserLimitReached;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option of the many-nodes store is checked in one place, {@link SharedSessionsConfig}: the embedded builder
 * and the Jetty XML factory refuse the same value with the same message, which names the option and the value. No
 * database is needed: the options are checked before the first store is made.
 */
class SharedSessionsConfigTest {

    /** Never reached: the start fails on the options before any store connects. */
    private static final SessionDatabase STORE = SessionDatabase.jdbcUrl("jdbc:postgresql://127.0.0.1:1/none", null, null);

    /** A bad value set through the builder, the same set through the XML factory, and the message both give. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                bad(b -> b.sessionCap(-1), f -> f.setSessionCap(-1),
                        "sessionCap is -1; it must be positive, or 0 for no cap"),
                bad(b -> b.userAttribute(" "), f -> f.setUserAttribute(" "),
                        "userAttribute is \" \"; give the attribute's name, or leave it unset for Jetty's"
                                + " authenticated user only"),
                bad(b -> b.maxSessionsPerUser(-2, WhenUserLimitReached.REFUSE_NEW), f -> f.setMaxSessionsPerUser(-2),
                        "maxSessionsPerUser is -2; it must be positive, or 0 for no limit"),
                bad(b -> b.revocationPollInterval(Duration.ZERO), f -> f.setRevocationPollIntervalSec(0),
                        "revocationPollInterval is PT0S; at least 10 ms is needed"),
                bad(b -> b.revocationPollInterval(Duration.ofSeconds(-1)), f -> f.setRevocationPollIntervalSec(-1),
                        "revocationPollInterval is PT-1S; at least 10 ms is needed"),
                bad(b -> b.allowPackage("com.example").allowPackage(""), f -> f.setAllowedPackages("com.example, ,x"),
                        "allowedPackages holds the package name \"\"; name each package, since allowing every class"
                                + " defeats the allow-list"),
                bad(b -> b.maxSessionsPerUser(0, WhenUserLimitReached.INVALIDATE_OLDEST),
                        f -> f.setWhenUserLimitReachedName("invalidate-oldest"),
                        "whenUserLimitReached is INVALIDATE_OLDEST and maxSessionsPerUser is 0 (no limit); set the"
                                + " limit the policy applies to"));
    }

    private static Arguments bad(Consumer<SharedSessions.Builder> builder,
            Consumer<SharedJdbcSessionDataStoreFactory> factory, String message) {
        return Arguments.of(builder, factory, message);
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void theBuilderAndTheXmlFactoryRefuseABadValueWithOneMessageNamingIt(Consumer<SharedSessions.Builder> builder,
            Consumer<SharedJdbcSessionDataStoreFactory> factory, String message) {
        SharedSessions.Builder options = SharedSessions.builder(STORE);
        builder.accept(options);
        IllegalArgumentException fromBuilder = assertThrows(IllegalArgumentException.class, options::config);
        assertEquals(message, fromBuilder.getMessage());
        IllegalArgumentException fromInstall = assertThrows(IllegalArgumentException.class,
                () -> options.install(new Server()));
        assertEquals(message, fromInstall.getMessage());

        SharedJdbcSessionDataStoreFactory xml = new SharedJdbcSessionDataStoreFactory();
        factory.accept(xml);
        IllegalArgumentException fromXml = assertThrows(IllegalArgumentException.class, xml::config);
        assertEquals(message, fromXml.getMessage());
    }

    @Test
    void theXmlFactoryReadsAllowedPackagesAsTheIniFileGivesThem() {
        SharedJdbcSessionDataStoreFactory xml = new SharedJdbcSessionDataStoreFactory();
        xml.setAllowedPackages(" com.example.shop , com.example.blog");
        assertEquals(List.of("com.example.shop", "com.example.blog"), xml.config().allowedPackages());
        assertEquals(List.of(), new SharedJdbcSessionDataStoreFactory().config().allowedPackages());
    }

    @Test
    void aBadValueFromJettyXmlFailsTheStartNamingTheOptionAndNothingIsServed() throws Exception {
        Server server = new Server();
        SharedJdbcSessionDataStoreFactory xml = new SharedJdbcSessionDataStoreFactory();
        DatabaseAdaptor adaptor = new DatabaseAdaptor();
        adaptor.setDriverInfo("org.postgresql.Driver", "jdbc:postgresql://127.0.0.1:1/none");
        xml.setDatabaseAdaptor(adaptor);
        xml.setMaxSessionsPerUser(-2);
        server.addBean(xml);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        server.setHandler(context);
        try {
            Exception refused = assertThrows(Exception.class, server::start);
            Throwable cause = refused;
            while (cause != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            assertTrue(cause != null
                    && "maxSessionsPerUser is -2; it must be positive, or 0 for no limit".equals(cause.getMessage()),
                    "the start failed for another reason: " + refused);
            assertFalse(context.isStarted());
        } finally {
            server.stop();
        }
    }

    @Test
    void theDefaultsAreValidAndTheXmlFactoryMakesThemToo() {
        SharedSessionsConfig defaults = SharedSessions.builder(STORE).config();
        assertEquals(defaults, new SharedJdbcSessionDataStoreFactory().config());
        assertEquals(0, defaults.sessionCap());
        assertTrue(defaults.checkCachedCopies());
        assertFalse(defaults.indexesSessionsByUser());
        assertEquals(WhenUserLimitReached.REFUSE_NEW, defaults.whenUserLimitReached());
        assertEquals(SharedSessionsConfig.DEFAULT_REVOCATION_POLL_INTERVAL, defaults.revocationPollInterval());
        assertFalse(defaults.detectInPlaceChanges());
    }

    @Test
    void theBuilderAndTheXmlFactoryTurnOnInPlaceChangeDetection() {
        assertTrue(SharedSessions.builder(STORE).detectInPlaceChanges(true).config().detectInPlaceChanges());
        SharedJdbcSessionDataStoreFactory xml = new SharedJdbcSessionDataStoreFactory();
        xml.setDetectInPlaceChanges(true);
        assertTrue(xml.config().detectInPlaceChanges());
    }

    /** An ini may say sessionsByUser=false and give a user attribute; the XML's order does not decide. */
    @Test
    void aUserAttributeOrAPerUserLimitIndexesSessionsByUserWhateverTheOrderOfTheSetters() {
        SharedJdbcSessionDataStoreFactory attributeFirst = new SharedJdbcSessionDataStoreFactory();
        attributeFirst.setUserAttribute("user");
        attributeFirst.setSessionsByUser(false);
        assertTrue(attributeFirst.config().indexesSessionsByUser());

        SharedJdbcSessionDataStoreFactory limitFirst = new SharedJdbcSessionDataStoreFactory();
        limitFirst.setMaxSessionsPerUser(3);
        limitFirst.setSessionsByUser(false);
        assertTrue(limitFirst.config().indexesSessionsByUser());

        SharedJdbcSessionDataStoreFactory emptyAttribute = new SharedJdbcSessionDataStoreFactory();
        emptyAttribute.setUserAttribute("");
        assertFalse(emptyAttribute.config().indexesSessionsByUser(), "an empty ini value is no attribute");

        assertTrue(SharedSessions.builder(STORE).userAttribute("user").config().indexesSessionsByUser());
        assertFalse(SharedSessions.builder(STORE).maxSessionsPerUser(0, WhenUserLimitReached.REFUSE_NEW).config()
                .indexesSessionsByUser());
    }

    @Test
    void theXmlFactoryTakesNoChangeOnceItsOptionsAreInForce() {
        SharedJdbcSessionDataStoreFactory xml = new SharedJdbcSessionDataStoreFactory();
        xml.setSessionCap(100);
        SharedSessionsConfig inForce = xml.config();
        assertEquals(100, inForce.sessionCap());
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> xml.setSessionCap(5));
        assertEquals("this factory's options are already in force; configure it before the server starts",
                late.getMessage());
        assertSame(inForce, xml.config());

        SharedJdbcSessionDataStoreFactory installed = SharedSessions.builder(STORE).sessionCap(10)
                .install(new Server()).storeFactory();
        assertEquals(10, installed.config().sessionCap());
        assertThrows(IllegalStateException.class, () -> installed.setUserAttribute("user"));
    }
}
