/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.syncsession.jetty.store.SyncSessionDataStore;
import dev.syncsession.jetty.store.SyncSessionDataStoreFactory;
import dev.syncsession.jetty.users.UserSource;
import dev.syncsession.jetty.users.UserIndex;
import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessions;
import dev.syncsession.jetty.users.WhenUserLimitReached;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.security.auth.Subject;
import org.eclipse.jetty.jmx.MBeanContainer;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.authentication.SessionAuthentication;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.util.security.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions by user ({@link UserSessions}) over the SyncMap store: listing, "sign out everywhere", the per-user limit,
 * and the index staying exact through sign-out, invalidation, expiry, id renewal, eviction and a snapshot restore,
 * also against a reference model under random operations. The application's user attribute is {@code user}
 * ({@link SessionTestServer}'s {@code signin?name=}).
 */
class UserSessionsTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static SessionTestServer server(AbstractSessionCacheFactory cache,
            Consumer<SyncSessionDataStoreFactory> options) throws Exception {
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setUserAttribute("user");
        store.setGracePeriodSec(1);
        options.accept(store);
        return SessionTestServer.with(cache, store);
    }

    private static SessionTestServer server(Consumer<SyncSessionDataStoreFactory> options) throws Exception {
        return server(SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), options);
    }

    private static UserSessions users(SessionTestServer server) {
        return UserSessions.of(server.sessionHandler());
    }

    private static Set<String> ids(List<UserSession> sessions) {
        return sessions.stream().map(UserSession::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A browser: its own session cookie, nothing else. */
    private final class Browser {
        private URI base;
        private String cookie;

        Browser(SessionTestServer server) {
            this.base = server.baseUri();
        }

        String get(String action) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(action));
            if (cookie != null) {
                request.header("Cookie", "JSESSIONID=" + cookie);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                if (set.startsWith("JSESSIONID=")) {
                    String value = set.substring("JSESSIONID=".length()).split(";", 2)[0];
                    cookie = value.isEmpty() ? null : value;
                }
            }
            assertEquals(200, response.statusCode(), action + ": " + response.body());
            return response.body();
        }

        String signIn(String name) throws Exception {
            return get("signin?name=" + name);
        }

        String user() throws Exception {
            return get("read?attr=user");
        }

        /** The session id, without the worker name Jetty appends in the cookie. */
        String id() {
            int dot = cookie.lastIndexOf('.');
            return dot < 0 ? cookie : cookie.substring(0, dot);
        }

        void moveTo(SessionTestServer other) {
            base = other.baseUri();
        }

    }

    @Test
    void listsTheSessionsOfAUserOldestFirst() throws Exception {
        try (SessionTestServer server = server(store -> { })) {
            Browser ada1 = new Browser(server);
            Browser ada2 = new Browser(server);
            Browser bob = new Browser(server);
            Instant before = Instant.now();
            ada1.signIn("ada");
            Thread.sleep(5);
            ada2.signIn("ada");
            bob.signIn("bob");
            Instant after = Instant.now();

            List<UserSession> ada = users(server).list("ada");
            assertEquals(List.of(ada1.id(), ada2.id()), ada.stream().map(UserSession::id).toList());
            // The times are the instants of creation and last access, as the wall clock read them.
            for (UserSession session : ada) {
                assertTrue(!session.created().isBefore(before.truncatedTo(ChronoUnit.MILLIS))
                        && !session.lastAccessed().isBefore(session.created())
                        && !session.lastAccessed().isAfter(after), before + " <= " + session + " <= " + after);
            }
            assertEquals(Set.of(bob.id()), ids(users(server).list("bob")));
            assertEquals(List.of(), users(server).list("carol"));
            assertEquals("ada", users(server).userOf(ada2.id()).orElseThrow());
        }
    }

    @Test
    void signingOutEverywhereEndsEverySessionOfTheUserOnly() throws Exception {
        try (SessionTestServer server = server(store -> { })) {
            Browser ada1 = new Browser(server);
            Browser ada2 = new Browser(server);
            Browser bob = new Browser(server);
            ada1.signIn("ada");
            ada2.signIn("ada");
            bob.signIn("bob");

            assertEquals(2, users(server).invalidateAll("ada"));

            assertEquals("none", ada1.user());
            assertEquals("none", ada2.user());
            assertEquals("bob", bob.user());
            assertEquals(List.of(), users(server).list("ada"));
            server.awaitScavenges(2); // expiry searches and cache checks that must not end anything again
            List<String> destroyed = new ArrayList<>();
            server.destroyedSessionIds.drainTo(destroyed);
            destroyed.sort(null);
            List<String> expected = new ArrayList<>(List.of(ada1.id(), ada2.id()));
            expected.sort(null);
            assertEquals(expected, destroyed, "sessionDestroyed once for each of ada's sessions, for no other");
        }
    }

    /**
     * The store's JMX operations, invoked through the platform MBeanServer as an operator's console would: the
     * listing is {@link UserSessions#list}'s, one summary line per session, and the sign-out ends each session of
     * the user through Jetty (sessionDestroyed for each), no other.
     */
    @Test
    void jmxListsAUsersSessionsAndSignsThemOutEverywhere() throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        MBeanContainer jmx = new MBeanContainer(platform);
        SyncSessionDataStoreFactory store = new SyncSessionDataStoreFactory();
        store.setUserAttribute("user");
        try (SessionTestServer server = SessionTestServer.with(
                SessionTestServer.syncMapCache(SessionCache.NEVER_EVICT), store, jmx)) {
            Browser ada1 = new Browser(server);
            Browser ada2 = new Browser(server);
            Browser bob = new Browser(server);
            ada1.signIn("ada");
            ada2.signIn("ada");
            bob.signIn("bob");
            Set<ObjectName> names = platform.queryNames(
                    ObjectName.getInstance("dev.syncsession.jetty.users:type=userindex,*"), null);
            assertEquals(1, names.size(), "expected one UserIndex MBean, found " + names);
            ObjectName name = names.iterator().next();

            String[] ada = sessionsOfUser(platform, name, "ada");
            assertEquals(users(server).list("ada").stream().map(UserSession::summary).toList(), List.of(ada));
            assertEquals(Set.of(ada1.id(), ada2.id()),
                    Stream.of(ada).map(line -> line.substring(0, line.indexOf(' '))).collect(Collectors.toSet()));
            assertTrue(ada[0].matches("\\S+ created=\\S+Z lastAccessed=\\S+Z node=\\S+"), ada[0]);
            assertEquals(0, sessionsOfUser(platform, name, "carol").length);

            assertEquals(2, platform.invoke(name, "invalidateSessionsOfUser", new Object[] {"ada"},
                    new String[] {String.class.getName()}));
            assertEquals("none", ada1.user());
            assertEquals("none", ada2.user());
            assertEquals("bob", bob.user());
            assertEquals(Set.of(ada1.id(), ada2.id()), Set.of(server.destroyedSessionIds.poll(5, TimeUnit.SECONDS),
                    server.destroyedSessionIds.poll(5, TimeUnit.SECONDS)), "sessionDestroyed for each");
            assertEquals(0, sessionsOfUser(platform, name, "ada").length);
            assertEquals(1, sessionsOfUser(platform, name, "bob").length);
        } finally {
            jmx.destroy(); // unregisters this server's MBeans from the JVM-wide MBeanServer
        }
    }

    private static String[] sessionsOfUser(MBeanServer mbeans, ObjectName store, String principal) throws Exception {
        return (String[]) mbeans.invoke(store, "sessionsOfUser", new Object[] {principal},
                new String[] {String.class.getName()});
    }

    @Test
    void signingOutEverywhereElseKeepsTheCurrentSession() throws Exception {
        try (SessionTestServer server = server(store -> { })) {
            Browser here = new Browser(server);
            Browser elsewhere = new Browser(server);
            here.signIn("ada");
            elsewhere.signIn("ada");

            assertEquals(1, users(server).invalidateAllExcept("ada", here.id()));

            assertEquals("ada", here.user());
            assertEquals("none", elsewhere.user());
            assertEquals(Set.of(here.id()), ids(users(server).list("ada")));
        }
    }

    @Test
    void theIndexFollowsSignOutRenewalInvalidationAndExpiry() throws Exception {
        try (SessionTestServer server = server(store -> { })) {
            SyncSessionDataStore store = (SyncSessionDataStore) server.sessionCache().getSessionDataStore();
            Browser ada = new Browser(server);
            ada.signIn("ada");
            ada.get("signout");
            assertEquals(0, store.getBean(UserIndex.class).getSessionsIndexedByUser(), "signed out: the entry is gone, not only unlisted");
            assertEquals(List.of(), users(server).list("ada"), "signed out");

            ada.signIn("ada");
            String before = ada.id();
            String after = post(server, "renew", ada.cookie);
            assertTrue(!after.equals(before), "a new id");
            assertEquals(Set.of(after), ids(users(server).list("ada")), "the renewed id only");
            ada.cookie = after;

            post(server, "invalidate", ada.cookie);
            assertEquals(0, store.getBean(UserIndex.class).getSessionsIndexedByUser(), "invalidated: the entry is gone");
            assertEquals(List.of(), users(server).list("ada"), "invalidated");

            Browser expiring = new Browser(server);
            expiring.signIn("ada");
            expiring.get("read"); // make sure it was saved signed in
            post(server, "max-inactive?seconds=1", expiring.cookie);
            String destroyed;
            do {
                destroyed = server.destroyedSessionIds.poll(15, TimeUnit.SECONDS);
            } while (destroyed != null && !destroyed.equals(expiring.id()));
            assertEquals(expiring.id(), destroyed, "expired");
            assertEquals(0, store.getBean(UserIndex.class).getSessionsIndexedByUser(), "no entry outlives its session");
            assertEquals(List.of(), users(server).list("ada"));
        }
    }

    @Test
    void anEvictedSessionStaysListed() throws Exception {
        try (SessionTestServer server = server(SessionTestServer.syncMapCache(1), store -> { })) {
            Browser ada = new Browser(server);
            ada.signIn("ada");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (server.sessionCache().contains(ada.id())) {
                assertTrue(System.nanoTime() < deadline, "not evicted");
                Thread.sleep(100);
            }
            assertEquals(Set.of(ada.id()), ids(users(server).list("ada")));
            assertEquals(1, users(server).invalidateAll("ada"), "and can be signed out");
            assertEquals("none", ada.user());
        }
    }

    @Test
    void sessionsRestoredFromASnapshotAreListed() throws Exception {
        Path snapshot = dir.resolve("sessions.snapshot");
        Browser ada;
        try (SessionTestServer before = server(store -> store.setSnapshotFile(snapshot.toString()))) {
            ada = new Browser(before);
            ada.signIn("ada");
        }
        try (SessionTestServer after = server(store -> store.setSnapshotFile(snapshot.toString()))) {
            assertEquals(Set.of(ada.id()), ids(users(after).list("ada")));
            ada.moveTo(after);
            assertEquals(1, users(after).invalidateAll("ada"));
            assertEquals("none", ada.user());
        }
    }

    @Test
    void theLimitRefusesANewSignIn() throws Exception {
        try (SessionTestServer server = server(store -> store.setMaxSessionsPerUser(1))) {
            Browser first = new Browser(server);
            Browser second = new Browser(server);
            assertEquals("signed in", first.signIn("ada"));
            assertEquals("refused", second.signIn("ada"));
            assertEquals("unset", second.user(), "the refused session is not signed in");
            assertEquals("signed in", second.signIn("bob"), "another user is not limited by ada's sessions");
            assertEquals(Set.of(first.id()), ids(users(server).list("ada")));

            first.get("signout");
            Browser third = new Browser(server);
            assertEquals("signed in", third.signIn("ada"), "after a sign-out there is room again");
        }
    }

    /**
     * Eight sessions sign in as one user at once under a limit of two: exactly two succeed. The backend's loads are
     * slow (3 ms each), so that the count of the user's sessions, which loads each of them, overlaps the other
     * sign-ins' counts unless the limit's lock keeps them apart.
     */
    @Test
    void concurrentSignInsPastTheLimitAreRefusedExactly() throws Exception {
        RecordingSessionStore backend = new RecordingSessionStore();
        try (SessionTestServer server = server(store -> {
            store.setMaxSessionsPerUser(2);
            store.setBackend(backend);
        })) {
            List<Browser> browsers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Browser browser = new Browser(server);
                browser.get("increment"); // an existing session each, signed in below all at once
                browsers.add(browser);
            }
            backend.loadParkNanos = TimeUnit.MILLISECONDS.toNanos(3);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (Browser browser : browsers) {
                    answers.add(pool.submit((Callable<String>) () -> {
                        start.await();
                        return browser.signIn("ada");
                    }));
                }
                start.countDown();
                int signedIn = 0;
                for (Future<String> answer : answers) {
                    signedIn += answer.get(30, TimeUnit.SECONDS).equals("signed in") ? 1 : 0;
                }
                assertEquals(2, signedIn);
                assertEquals(2, users(server).list("ada").size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theLimitCanInvalidateTheOldestSessions() throws Exception {
        try (SessionTestServer server = server(store -> {
            store.setMaxSessionsPerUser(2);
            store.setWhenUserLimitReached(WhenUserLimitReached.INVALIDATE_OLDEST);
        })) {
            Browser oldest = new Browser(server);
            Browser middle = new Browser(server);
            Browser newest = new Browser(server);
            oldest.signIn("ada");
            Thread.sleep(5);
            middle.signIn("ada");
            Thread.sleep(5);
            assertEquals("signed in", newest.signIn("ada"));

            assertEquals(oldest.id(), server.destroyedSessionIds.poll(10, TimeUnit.SECONDS));
            assertEquals("none", oldest.user());
            assertEquals("ada", middle.user());
            assertEquals("ada", newest.user());
            assertEquals(Set.of(middle.id(), newest.id()), ids(users(server).list("ada")));
        }
    }

    /**
     * Random sign-ins, sign-outs, invalidations, renewals and "sign out everywhere" by six browsers as three users,
     * against a model of who is signed in where: after every step the index lists exactly the model's sessions.
     */
    @Test
    void theIndexMatchesAReferenceModelUnderRandomOperations() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] names = {"ada", "bob", "cy"};
        try (SessionTestServer server = server(store -> { })) {
            SyncSessionDataStore store = (SyncSessionDataStore) server.sessionCache().getSessionDataStore();
            Browser[] browsers = new Browser[6];
            Map<Browser, String> model = new HashMap<>();
            for (int i = 0; i < browsers.length; i++) {
                browsers[i] = new Browser(server);
            }
            for (int step = 0; step < 300; step++) {
                Browser b = browsers[random.nextInt(browsers.length)];
                String name = names[random.nextInt(names.length)];
                String op;
                switch (random.nextInt(6)) {
                    case 0, 1 -> {
                        op = "signin " + name;
                        b.signIn(name);
                        model.put(b, name);
                    }
                    case 2 -> {
                        op = "signout";
                        b.get("signout");
                        model.remove(b);
                    }
                    case 3 -> {
                        op = "invalidate";
                        if (b.cookie != null) {
                            post(server, "invalidate", b.cookie);
                            b.cookie = null;
                        }
                        model.remove(b);
                    }
                    case 4 -> {
                        op = "renew";
                        if (b.cookie != null && model.containsKey(b)) {
                            b.cookie = post(server, "renew", b.cookie);
                        }
                    }
                    default -> {
                        op = "sign " + name + " out everywhere";
                        users(server).invalidateAll(name);
                        model.values().removeIf(name::equals);
                    }
                }
                assertEquals(model.size(), store.getBean(UserIndex.class).getSessionsIndexedByUser(),
                        "seed " + seed + ", step " + step + " (" + op + "): entries without a signed-in session");
                for (String user : names) {
                    Set<String> expected = model.entrySet().stream().filter(e -> e.getValue().equals(user))
                            .map(e -> e.getKey().id()).collect(Collectors.toCollection(TreeSet::new));
                    assertEquals(expected, ids(users(server).list(user)),
                            "seed " + seed + ", step " + step + " (" + op + "), user " + user);
                }
            }
        }
    }

    private String post(SessionTestServer server, String action, String cookie) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.baseUri().resolve(action))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", "JSESSIONID=" + cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), action);
        return response.body();
    }

    @Test
    void jettysAuthenticatedUserIsThePrincipal() {
        Subject subject = new Subject();
        UserIdentity identity = UserIdentity.from(subject, () -> "grace", "user");
        SessionAuthentication authentication = new SessionAuthentication("FORM", identity, Credential.getCredential("x"));
        UserSource source = UserSource.of("user");
        assertEquals("grace", source.userOf(Map.of(UserSource.JETTY_AUTHENTICATED_ATTRIBUTE, authentication,
                "user", "ada")), "Jetty's authenticated user comes first");
        assertEquals("ada", source.userOf(Map.of("user", "ada")));
        assertEquals("ada", source.userOf(Map.of("user", (java.security.Principal) () -> "ada")));
        assertEquals(null, source.userOf(Map.of("user", 42)), "neither a String nor a Principal");
        assertEquals(null, source.userOf(Map.of("user", " ")));
        assertEquals(null, UserSource.of(null).userOf(Map.of("user", "ada")));
    }
}
