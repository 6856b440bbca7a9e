/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessions;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.session.SessionData;

/**
 * "Your sessions": {@code GET /sessions} lists the sessions the signed-in user is signed into (the device that signed
 * in, when it signed in, last used, this one marked) through {@link UserSessions}; {@code POST /sessions} with
 * {@code action=others} signs the user out everywhere else (offered only when there is somewhere else),
 * {@code action=all} everywhere, and the devices signed out are told why when they come back ({@link SignOuts}).
 * Which device signed a session in, and when, is the application's to know (the store indexes users, not devices):
 * the shop keeps both in the session itself ({@link ShopServlet#DEVICE}, {@link ShopServlet#SIGNED_IN}), and this
 * page reads the other sessions' from the session store, so that a session signed in on another node, or before a
 * restart, is named as well as this node's. Without a signed-in user the page sends the visitor to the shop's
 * sign-in form with a line saying why.
 */
final class SessionsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final transient SessionHandler sessions;
    private final transient SignOuts signOuts;

    SessionsServlet(SessionHandler sessions, SignOuts signOuts) {
        this.sessions = sessions;
        this.signOuts = signOuts;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        HttpSession session = request.getSession(false);
        String user = session == null ? null : (String) session.getAttribute(ShopServlet.USER);
        if (user == null) {
            SignOuts.Notice why = request.isRequestedSessionIdValid() ? SignOuts.Notice.SIGN_IN_FOR_SESSIONS
                    : signOuts.take(request.getRequestedSessionId()).orElse(SignOuts.Notice.SIGN_IN_FOR_SESSIONS);
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", "/?notice=" + why.key);
            return;
        }
        List<UserSession> mine = UserSessions.of(sessions).list(user);
        boolean elsewhere = mine.stream().anyMatch(s -> !s.id().equals(session.getId()));
        StringBuilder html = new StringBuilder(2048);
        html.append("<section class=\"panel\" id=\"your-sessions\"><h2>Your sessions</h2><p>Signed in as <strong>")
                .append(PageLayout.escape(user)).append("</strong> in ").append(mine.size())
                .append(mine.size() == 1 ? " session" : " sessions").append(". At most <span id=\"per-user-limit\">")
                .append(SessionSetup.MAX_SESSIONS_PER_USER).append("</span> at once: signing in on one more signs"
                        + " out the oldest.</p><table id=\"sessions\"><thead><tr><th>Device</th><th>Signed in</th>"
                        + "<th>Last used</th><th>Server</th><th></th></tr></thead><tbody>");
        for (UserSession s : mine) {
            boolean current = s.id().equals(session.getId());
            SignIn signIn = current ? SignIn.of(session::getAttribute) : storedSignIn(s.id());
            html.append("<tr").append(current ? " class=\"current\"" : "").append("><td>")
                    .append(PageLayout.escape(signIn.device())).append("</td><td class=\"signed-in\">")
                    .append(signIn.at() == null ? "unknown" : TIME.format(signIn.at()))
                    .append("</td><td class=\"last-used\">").append(TIME.format(s.lastAccessed()))
                    .append("</td><td class=\"server\">")
                    .append(PageLayout.escape(s.node() == null ? "(not saved yet)" : s.node()))
                    .append("</td><td class=\"marker\">")
                    .append(current ? "<span class=\"this-one\">this one</span>" : "").append("</td></tr>");
        }
        html.append("</tbody></table>");
        if (elsewhere) {
            html.append("<form method=\"post\" action=\"/sessions\" class=\"inline\" id=\"signout-others\">")
                    .append("<input type=\"hidden\" name=\"action\" value=\"others\">")
                    .append("<button type=\"submit\">Sign out everywhere else</button></form> ");
        }
        html.append("<form method=\"post\" action=\"/sessions\" class=\"inline\" id=\"signout-all\">")
                .append("<input type=\"hidden\" name=\"action\" value=\"all\">")
                .append("<button type=\"submit\">Sign out everywhere</button></form></section>");
        response.setHeader("Cache-Control", "no-store");
        PageLayout.write(response, "Your sessions", html.toString());
    }

    /**
     * Another session's sign-in, as the session store holds it: one read of the session, whichever node signed it
     * in; unknown for a session not saved yet (or ended since it was listed).
     */
    private SignIn storedSignIn(String sessionId) throws ServletException {
        SessionData stored;
        try {
            stored = sessions.getSessionCache().getSessionDataStore().load(sessionId);
        } catch (Exception e) {
            throw new ServletException("could not read session " + sessionId + " from the session store", e);
        }
        return stored == null ? SignIn.of(name -> null) : SignIn.of(stored::getAttribute);
    }

    /** The device that signed a session in and when, from the session's attributes; null time if unknown. */
    private record SignIn(String device, Instant at) {

        static SignIn of(Function<String, Object> attributes) {
            Object device = attributes.apply(ShopServlet.DEVICE);
            return new SignIn(device instanceof String known ? known : ShopServlet.UNKNOWN_DEVICE,
                    (Instant) attributes.apply(ShopServlet.SIGNED_IN));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        String user = session == null ? null : (String) session.getAttribute(ShopServlet.USER);
        String action = request.getParameter("action");
        if (user == null || !("others".equals(action) || "all".equals(action))) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "sign in first; action is others or all");
            return;
        }
        UserSessions users = UserSessions.of(sessions);
        for (UserSession other : users.list(user)) {
            if (!other.id().equals(session.getId())) {
                signOuts.remember(other.id(), SignOuts.Notice.SIGNED_OUT_ELSEWHERE);
            }
        }
        if (action.equals("all")) {
            users.invalidateAll(user);
        } else {
            users.invalidateAllExcept(user, session.getId());
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", action.equals("all") ? "/" : "/sessions");
    }
}
