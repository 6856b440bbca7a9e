package dev.syncsession.map;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a body on several threads released together, each until a shared deadline or its own iteration bound, and
 * turns a failure on any thread, or a thread that does not finish (a deadlock), into a test failure.
 */
final class RacingThreads {

    /** One thread's work; {@code until} is the System.nanoTime() deadline shared by all threads. */
    @FunctionalInterface
    interface Body {
        void run(int thread, long until) throws Exception;
    }

    /** Grace period after the deadline before a thread that has not returned is reported as stuck. */
    private static final long STUCK_AFTER_MILLIS = 20_000;

    private RacingThreads() {
    }

    static long deadline(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    static boolean before(long until) {
        return System.nanoTime() - until < 0;
    }

    /** Starts {@code threads} threads running {@code body}, releases them together and waits for all of them. */
    static void run(String name, int threads, long millis, Body body) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long[] until = new long[1];
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    body.run(thread, until[0]);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, name + "-" + t);
            worker.setDaemon(true);
            started.add(worker);
            worker.start();
        }
        ready.await();
        until[0] = deadline(millis);
        go.countDown();
        for (Thread worker : started) {
            worker.join(millis + STUCK_AFTER_MILLIS);
            if (worker.isAlive()) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement frame : worker.getStackTrace()) {
                    stack.append("\n\tat ").append(frame);
                }
                fail(worker.getName() + " still running " + STUCK_AFTER_MILLIS + " ms after its deadline"
                        + " (deadlock or livelock?)" + stack);
            }
        }
        Throwable first = failures.poll();
        if (first != null) {
            for (Throwable more : failures) {
                if (more != first) { // the JIT may rethrow one preallocated implicit exception instance
                    first.addSuppressed(more);
                }
            }
            if (first instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(first);
        }
    }
}
