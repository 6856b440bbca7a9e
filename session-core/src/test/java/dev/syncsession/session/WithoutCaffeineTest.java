package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Caffeine is an optional dependency: everything but {@link CaffeineSessionStore} must work without it. Each scenario
 * runs inside a class loader that defines this module's classes itself and cannot see Caffeine.
 */
class WithoutCaffeineTest {

    /** Runs the default store, manager and sweeper; returns what it observed. */
    public static final class DefaultStack implements Callable<String> {
        @Override
        public String call() {
            MutableClock clock = new MutableClock();
            SessionStore store = new SyncMapSessionStore();
            SessionService manager = SessionService.builder(store).clock(clock)
                    .maxInactiveInterval(Duration.ofMinutes(1)).build();
            String id = manager.create(Map.of("user", "alice")).id();
            Object user = manager.find(id).orElseThrow().attributes().toMap().get("user");
            clock.advance(Duration.ofMinutes(2));
            long removed = ExpirySweeper.builder(store).clock(clock).build().sweepNow().removed();
            return user + " " + removed + " " + store.size();
        }
    }

    /** Asks for a Caffeine store; returns the error message. */
    public static final class CaffeineStack implements Callable<String> {
        @Override
        public String call() {
            try {
                CaffeineSessionStore.builder();
                return "built without Caffeine";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }
    }

    @Test
    void theDefaultStoreManagerAndSweeperNeedNoCaffeine() throws Exception {
        assertEquals("alice 1 0", runWithoutCaffeine(DefaultStack.class));
    }

    @Test
    void askingForACaffeineStoreWithoutCaffeineSaysWhatToAdd() throws Exception {
        String message = runWithoutCaffeine(CaffeineStack.class);
        assertTrue(message.contains("add com.github.ben-manes.caffeine:caffeine"), message);
    }

    @Test
    void theTestLoaderReallyHidesCaffeine() {
        ClassLoader loader = new CaffeineHidingClassLoader(getClass().getClassLoader());
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("com.github.benmanes.caffeine.cache.Caffeine", false, loader));
    }

    @SuppressWarnings("unchecked")
    private static String runWithoutCaffeine(Class<? extends Callable<String>> scenario) throws Exception {
        ClassLoader loader = new CaffeineHidingClassLoader(WithoutCaffeineTest.class.getClassLoader());
        Class<?> isolated = Class.forName(scenario.getName(), true, loader);
        assertTrue(isolated.getClassLoader() == loader, "the scenario must run on the isolated classes");
        return ((Callable<String>) isolated.getDeclaredConstructor().newInstance()).call();
    }

    /** Defines {@code dev.syncsession} classes itself, refuses Caffeine, delegates the rest to its parent. */
    private static final class CaffeineHidingClassLoader extends ClassLoader {

        CaffeineHidingClassLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("com.github.benmanes.caffeine.")) {
                    throw new ClassNotFoundException(name + " is hidden by this test");
                }
                if (!name.startsWith("dev.syncsession.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
