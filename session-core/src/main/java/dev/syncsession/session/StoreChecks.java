package dev.syncsession.session;

/** Argument checks shared by the bundled {@link SessionStore} implementations. */
final class StoreChecks {

    private StoreChecks() {
    }

    /** Rejects a replacement that would move a record to another key, which no compare-and-set can express. */
    static void requireSameKey(SessionRecord expected, SessionRecord replacement) {
        if (!expected.key().equals(replacement.key())) {
            throw new IllegalArgumentException("replacement key " + replacement.key() + " differs from expected key "
                    + expected.key() + "; to change a session id, insert the new record and delete the old one");
        }
    }
}
