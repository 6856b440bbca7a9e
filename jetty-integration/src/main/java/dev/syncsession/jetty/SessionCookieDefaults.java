/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionManager;
import org.eclipse.jetty.util.component.Container;

/**
 * The session cookie defaults of SECURITY.md, for every session handler it reaches: {@code HttpOnly} and
 * {@code SameSite=Lax}, each unless the handler already sets that attribute, and {@code Secure} whenever the request
 * came over HTTPS (Jetty's default, set again in case it was turned off). A web application's own choice
 * ({@code web.xml} {@code <cookie-config>}, applied when it starts, or the handler's setters) wins.
 *
 * <p>As a bean of the server ({@link #install}: {@link SyncSessions.Builder#install(Server)} and the
 * {@code session-store-syncmap} module call it), it is inherited down the handler tree and applies the defaults to
 * each session handler when the handler joins the tree, including web applications deployed later. Thread-safe: it
 * holds no state.
 */
public final class SessionCookieDefaults implements Container.InheritedListener {

    private SessionCookieDefaults() {
    }

    /**
     * Gives every session handler of the server the defaults, or takes them away: replaces any instance the server
     * has. Call before the server starts.
     *
     * @param server the server
     * @param enabled whether the defaults apply (the {@code jetty.session.syncmap.secureCookies} property)
     * @return whether they apply
     */
    public static boolean install(Server server, boolean enabled) {
        for (SessionCookieDefaults old : server.getBeans(SessionCookieDefaults.class)) {
            server.removeBean(old);
        }
        if (enabled) {
            server.addBean(new SessionCookieDefaults());
        }
        return enabled;
    }

    /**
     * Applies the defaults to one session handler; see the class comment.
     *
     * @param sessionHandler a session handler that has not started
     */
    public static void applyTo(AbstractSessionManager sessionHandler) {
        if (sessionHandler.getSessionCookieAttribute(HttpCookie.HTTP_ONLY_ATTRIBUTE) == null) {
            sessionHandler.setHttpOnly(true);
        }
        if (sessionHandler.getSameSite() == null) {
            sessionHandler.setSameSite(HttpCookie.SameSite.LAX);
        }
        sessionHandler.setSecureRequestOnly(true);
    }

    /** Applies the defaults to a session handler that joins the tree. */
    @Override
    public void beanAdded(Container parent, Object child) {
        if (child instanceof AbstractSessionManager sessionHandler) {
            applyTo(sessionHandler);
        }
    }

    /** Nothing to undo. */
    @Override
    public void beanRemoved(Container parent, Object child) {
    }
}
