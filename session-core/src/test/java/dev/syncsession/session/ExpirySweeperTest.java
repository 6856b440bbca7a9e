package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import dev.syncsession.session.contract.ForwardingSessionStore;
import org.junit.jupiter.api.Test;

class ExpirySweeperTest {

    private static final SessionScope SCOPE = SessionScope.ROOT;

    private final MutableClock clock = new MutableClock();
    private final SessionStore store = new SyncMapSessionStore();
    private final List<String> expired = new CopyOnWriteArrayList<>();
    private final SessionListener recorder = new SessionListener() {
        @Override
        public void expired(SessionRecord session) {
            expired.add(session.id());
        }
    };

    private SessionRecord saveExpiringIn(String id, Duration fromNow) {
        SessionRecord record = SessionRecord.builder(SCOPE.key(id)).maxInactiveMs(60_000)
                .expiry(clock.millis() + fromNow.toMillis()).build();
        store.save(record);
        return record;
    }

    private ExpirySweeper.Builder sweeper() {
        return ExpirySweeper.builder(store).clock(clock).listener(recorder);
    }

    @Test
    void sweepRemovesExpiredRecordsAndReportsEach() {
        saveExpiringIn("past1", Duration.ofSeconds(-1));
        saveExpiringIn("past2", Duration.ofMinutes(-10));
        saveExpiringIn("future", Duration.ofSeconds(1));
        store.save(SessionRecord.builder(SCOPE.key("never")).build());

        ExpirySweeper.SweepResult result = sweeper().build().sweepNow();

        assertEquals(4, result.scanned());
        assertEquals(2, result.removed());
        assertEquals(List.of("past1", "past2"), expired.stream().sorted().toList());
        assertTrue(store.exists(SCOPE.key("future")));
        assertTrue(store.exists(SCOPE.key("never")));
    }

    @Test
    void recordsWithinTheGraceSurvive() {
        saveExpiringIn("recent", Duration.ofSeconds(-5));
        saveExpiringIn("old", Duration.ofSeconds(-15));

        ExpirySweeper sweeper = sweeper().retainExpired(Duration.ofSeconds(10)).build();
        assertEquals(1, sweeper.sweepNow().removed());
        assertEquals(List.of("old"), expired);

        clock.advance(Duration.ofSeconds(6));
        assertEquals(1, sweeper.sweepNow().removed());
        assertEquals(List.of("old", "recent"), expired);
    }

    @Test
    void aSessionTouchedAfterTheSweepReadItSurvives() {
        SessionRecord stale = saveExpiringIn("busy", Duration.ofSeconds(-1));
        SessionRecord[] touched = new SessionRecord[1];
        // A request touches the session between the sweep's read (range) and its delete.
        SessionStore racing = new ForwardingSessionStore(store) {
            @Override
            public boolean deleteIfUnchanged(SessionRecord expected) {
                if (touched[0] == null) {
                    touched[0] = expected.touch(clock.millis());
                    assertTrue(store.replace(expected, touched[0]));
                }
                return super.deleteIfUnchanged(expected);
            }
        };

        ExpirySweeper.SweepResult result = ExpirySweeper.builder(racing).clock(clock).listener(recorder).build()
                .sweepNow();

        assertEquals(0, result.removed());
        assertSame(touched[0], store.load(stale.key()));
        assertTrue(expired.isEmpty());
    }

    @Test
    void staleSessionsDisappearWithoutAnyRequest() {
        SessionService manager = SessionService.builder(store).clock(clock).listener(recorder)
                .maxInactiveInterval(Duration.ofMinutes(30)).build();
        for (int i = 0; i < 50; i++) {
            manager.create(Map.of("n", i));
        }
        clock.advance(Duration.ofMinutes(31));
        SessionRecord fresh = manager.create();

        ExpirySweeper.SweepResult result = sweeper().build().sweepNow();

        assertEquals(50, result.removed());
        assertEquals(1, store.size());
        assertTrue(store.exists(fresh.key()));
        assertEquals(50, expired.size());
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheSweep() {
        for (int i = 0; i < 10; i++) {
            saveExpiringIn("s" + i, Duration.ofSeconds(-1));
        }
        SessionListener broken = new SessionListener() {
            @Override
            public void expired(SessionRecord session) {
                throw new IllegalStateException("listener bug");
            }
        };
        ExpirySweeper.SweepResult result = ExpirySweeper.builder(store).clock(clock).listener(broken)
                .listener(recorder).build().sweepNow();
        assertEquals(10, result.removed());
        assertEquals(10, expired.size());
        assertEquals(0, store.size());
    }

    @Test
    void statsAccumulateOverRuns() {
        saveExpiringIn("a", Duration.ofSeconds(-1));
        saveExpiringIn("b", Duration.ofSeconds(30));
        ExpirySweeper sweeper = sweeper().build();
        sweeper.sweepNow();
        clock.advance(Duration.ofMinutes(1));
        sweeper.sweepNow();

        ExpirySweeper.Stats stats = sweeper.stats();
        assertEquals(2, stats.runs());
        assertEquals(0, stats.failures());
        assertEquals(3, stats.scanned());
        assertEquals(2, stats.removed());
        assertFalse(stats.lastDuration().isNegative());
    }

    @Test
    void anOnDemandSweepThatFailsIsCountedAndRethrown() {
        SessionStore failing = new ForwardingSessionStore(store) {
            @Override
            public boolean range(Predicate<? super SessionRecord> visitor) {
                throw new IllegalStateException("backend down");
            }
        };
        ExpirySweeper sweeper = ExpirySweeper.builder(failing).clock(clock).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, sweeper::sweepNow);
        assertEquals("backend down", e.getMessage());
        assertEquals(1, sweeper.stats().failures());
        assertEquals(1, sweeper.stats().runs());
    }

    @Test
    void scheduledSweepsKeepRunningAfterFailuresOnANamedDaemonThread() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch thirdCall = new CountDownLatch(3);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        SessionStore flaky = new ForwardingSessionStore(store) {
            @Override
            public boolean range(Predicate<? super SessionRecord> visitor) {
                threads.add(Thread.currentThread());
                thirdCall.countDown();
                if (calls.incrementAndGet() <= 2) {
                    throw new IllegalStateException("transient failure " + calls.get());
                }
                return super.range(visitor);
            }
        };
        try (ExpirySweeper sweeper = ExpirySweeper.builder(flaky).clock(clock)
                .interval(Duration.ofMillis(5)).build()) {
            sweeper.start();
            assertTrue(sweeper.isRunning());
            assertTrue(thirdCall.await(10, TimeUnit.SECONDS), "the schedule died after a failure");
            assertTrue(sweeper.stats().failures() >= 2);
            Thread thread = threads.get(0);
            assertEquals(ExpirySweeper.THREAD_NAME, thread.getName());
            assertTrue(thread.isDaemon());
        }
    }

    @Test
    void closeStopsTheScheduleAndAllowsNoRestart() throws InterruptedException {
        CountDownLatch swept = new CountDownLatch(1);
        SessionStore observed = new ForwardingSessionStore(store) {
            @Override
            public boolean range(Predicate<? super SessionRecord> visitor) {
                swept.countDown();
                return super.range(visitor);
            }
        };
        ExpirySweeper sweeper = ExpirySweeper.builder(observed).clock(clock).interval(Duration.ofMillis(5)).build();
        sweeper.start();
        assertThrows(IllegalStateException.class, sweeper::start);
        assertTrue(swept.await(10, TimeUnit.SECONDS));
        sweeper.close();
        assertFalse(sweeper.isRunning());
        IllegalStateException e = assertThrows(IllegalStateException.class, sweeper::start);
        assertEquals("sweeper is closed; build a new one", e.getMessage());
        sweeper.close();
        saveExpiringIn("late", Duration.ofSeconds(-1));
        assertEquals(1, sweeper.sweepNow().removed(), "an on-demand sweep still works after close");
    }

    /** A timer the test fires by hand, as a container's scheduler would once the delay has passed. */
    private static final class HandTimer implements ExpirySweeper.Timer {
        final List<Runnable> planned = new CopyOnWriteArrayList<>();
        final List<Duration> delays = new CopyOnWriteArrayList<>();

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            planned.add(task);
            delays.add(delay);
            return () -> planned.remove(task);
        }

        void fire() {
            planned.remove(0).run();
        }
    }

    @Test
    void givenATimerAndAnExecutorSweepsOnTheExecutorAndPlansTheNextSweepOnlyWhenOneEnds() {
        saveExpiringIn("past", Duration.ofSeconds(-1));
        HandTimer timer = new HandTimer();
        List<Runnable> handed = new ArrayList<>();
        try (ExpirySweeper sweeper = sweeper().interval(Duration.ofMinutes(2)).runOn(timer, handed::add).build()) {
            sweeper.start();
            assertEquals(List.of(Duration.ofMinutes(2)), timer.delays);

            timer.fire();
            assertEquals(1, handed.size(), "the timer did not hand the sweep to the executor");
            assertEquals(0, sweeper.stats().runs(), "swept on the timer's thread");
            assertTrue(timer.planned.isEmpty(), "a next sweep was planned while this one had not run");

            handed.get(0).run();
            assertEquals(List.of("past"), expired);
            assertEquals(1, timer.planned.size(), "the next sweep was not planned when this one ended");
        }
        assertTrue(timer.planned.isEmpty(), "close() did not cancel the planned sweep");
    }

    @Test
    void aSweepTheExecutorRefusesIsSkippedAndTheNextOnePlanned() {
        HandTimer timer = new HandTimer();
        try (ExpirySweeper sweeper = sweeper().runOn(timer, task -> {
            throw new RejectedExecutionException("pool stopped");
        }).build()) {
            sweeper.start();
            timer.fire();
            assertEquals(0, sweeper.stats().runs());
            assertEquals(1, timer.planned.size(), "the schedule died when the executor refused a sweep");
        }
    }

    @Test
    void closeWaitsForAScheduledSweepRunningOnTheGivenExecutor() throws InterruptedException {
        CountDownLatch sweepStarted = new CountDownLatch(1);
        CountDownLatch mayEnd = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        SessionRecord live = SessionRecord.builder(SCOPE.key("live")).build();
        SessionStore endless = new ForwardingSessionStore(store) {
            @Override
            public boolean range(Predicate<? super SessionRecord> visitor) {
                sweepStarted.countDown();
                while (visitor.test(live)) { // until close() tells the sweep to stop
                    Thread.onSpinWait();
                }
                try {
                    mayEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ended.set(true);
                return false;
            }
        };
        HandTimer timer = new HandTimer();
        ExecutorService pool = Executors.newSingleThreadExecutor(); // stands in for the container's thread pool
        try {
            ExpirySweeper sweeper = ExpirySweeper.builder(endless).clock(clock).runOn(timer, pool).build();
            sweeper.start();
            timer.fire();
            assertTrue(sweepStarted.await(10, TimeUnit.SECONDS));

            Thread closer = new Thread(sweeper::close, "closer");
            closer.start();
            while (closer.isAlive() && closer.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            assertTrue(closer.isAlive(), "close() returned while the sweep was still running");
            mayEnd.countDown();
            closer.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(closer.isAlive(), "close() did not return when the sweep ended");
            assertTrue(ended.get());
            assertTrue(timer.planned.isEmpty(), "a sweep was planned after close()");
        } finally {
            mayEnd.countDown();
            pool.shutdown();
        }
    }

    @Test
    void invalidConfigurationIsRejectedNamingTheValue() {
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> ExpirySweeper.builder(store).interval(Duration.ZERO));
        assertEquals("sweep interval is PT0S; must be at least 1 ms", interval.getMessage());
        IllegalArgumentException grace = assertThrows(IllegalArgumentException.class,
                () -> ExpirySweeper.builder(store).retainExpired(Duration.ofSeconds(-1)));
        assertEquals("retainExpired is PT-1S; must be zero or more", grace.getMessage());
    }
}
