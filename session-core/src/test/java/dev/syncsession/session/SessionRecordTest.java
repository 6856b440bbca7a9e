package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionRecordTest {

    private static final SessionScope SHOP = new SessionScope("/shop", "shop.example.com");

    /** Every persistent field of Jetty 12.1's SessionData, each with a distinct value. */
    static SessionRecord everyJettyField() {
        return SessionRecord.builder(SHOP.key("abcdefghijklmnopqrstuv.node7"))
                .created(1_000).accessed(5_000).lastAccessed(4_000).cookieSetTime(1_500).lastSaved(4_500)
                .maxInactiveMs(60_000).expiry(65_000).lastNode("node7")
                .attributes(AttributeStorage.BY_REFERENCE.of(Map.of("user", "alice", "visits", 3)))
                .build();
    }

    @Test
    void carriesEveryFieldOfJettySessionData() {
        SessionRecord record = everyJettyField();
        assertEquals("abcdefghijklmnopqrstuv.node7", record.id());
        assertEquals("/shop", record.scope().contextPath());
        assertEquals("shop.example.com", record.scope().virtualHost());
        assertEquals(1_000, record.created());
        assertEquals(5_000, record.accessed());
        assertEquals(4_000, record.lastAccessed());
        assertEquals(1_500, record.cookieSetTime());
        assertEquals(4_500, record.lastSaved());
        assertEquals(60_000, record.maxInactiveMs());
        assertEquals(65_000, record.expiry());
        assertEquals("node7", record.lastNode());
        assertEquals(Map.of("user", "alice", "visits", 3), record.attributes().toMap());
    }

    @Test
    void toBuilderCopiesEveryField() {
        SessionRecord original = everyJettyField();
        SessionRecord copy = original.toBuilder().build();
        assertNotSame(original, copy);
        assertEquals(original.key(), copy.key());
        assertEquals(original.created(), copy.created());
        assertEquals(original.accessed(), copy.accessed());
        assertEquals(original.lastAccessed(), copy.lastAccessed());
        assertEquals(original.cookieSetTime(), copy.cookieSetTime());
        assertEquals(original.lastSaved(), copy.lastSaved());
        assertEquals(original.maxInactiveMs(), copy.maxInactiveMs());
        assertEquals(original.expiry(), copy.expiry());
        assertEquals(original.lastNode(), copy.lastNode());
        assertSame(original.attributes(), copy.attributes());
    }

    @Test
    void withIdKeepsEverythingButTheId() {
        SessionRecord original = everyJettyField();
        SessionRecord moved = original.withId("newid");
        assertEquals(SHOP.key("newid"), moved.key());
        assertEquals(original.created(), moved.created());
        assertEquals(original.expiry(), moved.expiry());
        assertEquals(original.lastNode(), moved.lastNode());
        assertSame(original.attributes(), moved.attributes());
    }

    @Test
    void touchRecordsTheAccessAndMovesTheExpiry() {
        SessionRecord touched = everyJettyField().touch(10_000);
        assertEquals(10_000, touched.accessed());
        assertEquals(5_000, touched.lastAccessed());
        assertEquals(70_000, touched.expiry());
        assertEquals(1_000, touched.created());
    }

    @Test
    void aSessionWithoutMaxInactiveNeverExpires() {
        SessionRecord record = SessionRecord.builder(SHOP.key("a")).maxInactiveMs(-1).build().touch(10_000);
        assertEquals(0, record.expiry());
        assertFalse(record.isExpiredAt(Long.MAX_VALUE));
    }

    @Test
    void expiryIsReachedAtTheExpiryTime() {
        SessionRecord record = everyJettyField();
        assertFalse(record.isExpiredAt(64_999));
        assertTrue(record.isExpiredAt(65_000));
    }

    @Test
    void expirySaturatesInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, SessionRecord.expiryFor(Long.MAX_VALUE - 10, 1_000));
    }

    @Test
    void negativeExpiryIsRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionRecord.builder(SHOP.key("a")).expiry(-5));
        assertTrue(e.getMessage().startsWith("expiry is -5"), e.getMessage());
    }

    @Test
    void recordsAreEqualOnlyToThemselves() {
        SessionRecord record = everyJettyField();
        assertEquals(record, record);
        assertNotEquals(record, record.toBuilder().build());
    }

    @Test
    void keysAndScopesCompareByValue() {
        assertEquals(new SessionScope("/shop", "shop.example.com").key("x"), SHOP.key("x"));
        assertEquals(SHOP.key("x").hashCode(), new SessionScope("/shop", "shop.example.com").key("x").hashCode());
        assertNotEquals(SHOP.key("x"), new SessionScope("/shop", "other.example.com").key("x"));
        assertNotEquals(SHOP.key("x"), new SessionScope("/admin", "shop.example.com").key("x"));
    }

    @Test
    void nullScopeComponentsAreRejected() {
        assertThrows(NullPointerException.class, () -> new SessionScope(null, ""));
        assertThrows(NullPointerException.class, () -> new SessionScope("", null));
        assertThrows(NullPointerException.class, () -> SHOP.key(null));
    }

    @Test
    void lastNodeMayBeUnknown() {
        assertNull(SessionRecord.builder(SHOP.key("a")).build().lastNode());
    }

    @Test
    void toStringRevealsNeitherTheIdNorAttributeValues() {
        String text = everyJettyField().toString();
        assertFalse(text.contains("abcdefghijklmnopqrstuv"), text);
        assertFalse(text.contains("alice"), text);
        assertTrue(text.contains("abcdef..."), text);
        assertTrue(text.contains("2 attributes"), text);
    }
}
