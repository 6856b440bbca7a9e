package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "use it without a container" example, kept compiling and passing. */
class UsageExampleTest {

    @Test
    void readmeExampleWorksAsWritten(@TempDir Path dir) throws IOException {
        SessionStore store = new SyncMapSessionStore();
        SessionService sessions = SessionService.builder(store)
                .scope(new SessionScope("/shop", ""))
                .maxInactiveInterval(Duration.ofMinutes(30))
                .sessionCap(100_000)
                .build();
        ExpirySweeper sweeper = ExpirySweeper.builder(store).interval(Duration.ofSeconds(60)).build();
        sweeper.start();
        SessionSnapshot snapshot = SessionSnapshot.builder(dir.resolve("sessions.snap")).build();
        snapshot.restore(store);

        String cookie = sessions.create(Map.of("user", "alice")).id();
        sessions.update(cookie, attributes -> attributes.put("cart", List.of("apple")));
        String newCookie = sessions.changeId(cookie).orElseThrow().id();
        Map<String, Object> attributes = sessions.find(newCookie).orElseThrow().attributes().toMap();

        sweeper.close();
        snapshot.write(store);
        store.close();

        assertEquals(Map.of("user", "alice", "cart", List.of("apple")), attributes);
        assertTrue(sessions.find("not a valid id").isEmpty());
        SessionStore afterRestart = new SyncMapSessionStore();
        assertEquals(1, snapshot.restore(afterRestart).restored());
        assertTrue(afterRestart.exists(new SessionScope("/shop", "").key(newCookie)));
    }
}
