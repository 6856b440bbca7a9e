/**
 * Container-independent sessions: the {@link dev.syncsession.session.SessionRecord} value, the pluggable
 * {@link dev.syncsession.session.SessionStore} SPI with its default
 * {@link dev.syncsession.session.SyncMapSessionStore} and the memory-bounded
 * {@link dev.syncsession.session.CaffeineSessionStore}, the {@link dev.syncsession.session.SessionService} that
 * applies session rules on top of a store, the {@link dev.syncsession.session.ExpirySweeper} that removes stale
 * sessions, id generation and validation, and {@link dev.syncsession.session.SessionSnapshot} files that carry
 * sessions across a restart.
 *
 * <p>Nothing here depends on a servlet container; Caffeine is needed only by {@code CaffeineSessionStore}. Every
 * public type documents its thread-safety; no method accepts null unless its documentation says so.
 */
package dev.syncsession.session;
