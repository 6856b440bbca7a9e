package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Id generation and validation of ids that arrive from clients. */
class SessionIdTest {

    private final SessionIdValidator validator = SessionIdValidator.standard();

    @Test
    void generatedIdsCarry128BitsAsUrlSafeBase64WithoutPadding() {
        String id = SessionIdGenerator.create().newId();
        assertEquals(22, id.length());
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        assertEquals(16, Base64.getUrlDecoder().decode(id).length);
    }

    @Test
    void moreRandomBytesMakeLongerIds() {
        String id = SessionIdGenerator.builder().randomBytes(32).build().newId();
        assertEquals(32, Base64.getUrlDecoder().decode(id).length);
    }

    @Test
    void generatedIdsDoNotRepeat() {
        SessionIdGenerator generator = SessionIdGenerator.create();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(ids.add(generator.newId()));
        }
    }

    @Test
    void aNodeNameIsAppendedAfterADot() {
        SessionIdGenerator generator = SessionIdGenerator.builder().node("node1").build();
        String id = generator.newId();
        assertTrue(id.matches("[A-Za-z0-9_-]{22}\\.node1"), id);
        assertEquals(Optional.of("node1"), generator.node());
        assertTrue(validator.isValid(id));
    }

    @Test
    void fewerThan128BitsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionIdGenerator.builder().randomBytes(8));
        assertTrue(e.getMessage().startsWith("randomBytes is 8;"), e.getMessage());
    }

    @Test
    void aNodeNameWithADotIsRefusedNamingTheCharacter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SessionIdGenerator.builder().node("a.b"));
        assertEquals("node name contains U+002E at index 1; allowed: A-Z a-z 0-9 - _", e.getMessage());
    }

    @Test
    void generatedIdsAreValid() {
        SessionIdGenerator generator = SessionIdGenerator.create();
        for (int i = 0; i < 1000; i++) {
            String id = generator.newId();
            assertTrue(validator.isValid(id), id);
        }
    }

    @Test
    void anEmptyIdIsRejected() {
        assertEquals(Optional.of("session id is empty"), validator.rejectionReason(""));
        assertFalse(validator.isValid(""));
    }

    @Test
    void aMissingIdIsRejected() {
        assertFalse(validator.isValid(null));
        assertEquals(Optional.empty(), validator.accept(null));
    }

    @Test
    void aTenKilobyteIdIsRejectedWithItsLength() {
        String huge = "a".repeat(10_240);
        assertEquals(Optional.of("session id is 10240 chars; at most 128 allowed"), validator.rejectionReason(huge));
    }

    @Test
    void aControlCharacterIsRejectedWithItsCodePointAndIndex() {
        assertEquals(Optional.of("session id contains U+0007 at index 3; allowed: A-Z a-z 0-9 - _ ."),
                validator.rejectionReason("abc\u0007def"));
        assertFalse(validator.isValid("abc\r\nSet-Cookie: x"));
    }

    @Test
    void nonAsciiCharactersAreRejected() {
        assertEquals(Optional.of("session id contains U+00E9 at index 3; allowed: A-Z a-z 0-9 - _ ."),
                validator.rejectionReason("caf\u00e9"));
        assertEquals(Optional.of("session id contains U+1F600 at index 2; allowed: A-Z a-z 0-9 - _ ."),
                validator.rejectionReason("ab\uD83D\uDE00"));
    }

    @Test
    void separatorsAndSpacesAreRejected() {
        for (String bad : new String[] {"a b", "a/b", "a;b", "a=b", "a+b", "a%20"}) {
            assertFalse(validator.isValid(bad), bad);
        }
    }

    @Test
    void rejectionMessagesNeverEchoTheId() {
        String reason = validator.rejectionReason("secretvalue\u0000").orElseThrow();
        assertFalse(reason.contains("secret"), reason);
    }

    @Test
    void theMaximumLengthIsConfigurable() {
        SessionIdValidator shortIds = SessionIdValidator.withMaxLength(4);
        assertTrue(shortIds.isValid("abcd"));
        assertEquals(Optional.of("session id is 5 chars; at most 4 allowed"), shortIds.rejectionReason("abcde"));
        assertEquals(Optional.of("abcd"), shortIds.accept("abcd"));
    }
}
