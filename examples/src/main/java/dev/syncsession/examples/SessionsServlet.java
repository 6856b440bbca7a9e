/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee11.servlet.SessionHandler;

/**
 * "Your sessions": {@code GET /sessions} lists the sessions the signed-in user is signed into (the device that signed
 * in, when it signed in, last used, this one marked) through {@link UserSessions}; {@code POST /sessions} with
 * {@code action=others} signs the user out everywhere else (offered only when there is somewhere else),
 * {@code action=all} everywhere, and the devices signed out are told why when they come back ({@link SignOuts}).
 * Also the listener that remembers which device (User-Agent) signed each session in, and when, for the list: that is
 * the application's to know, the store indexes users, not devices. Without a signed-in user the page sends the
 * visitor to the shop's sign-in form with a line saying why.
 */
final class SessionsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final transient SessionHandler sessions;
    private final transient Devices devices;
    private final transient SignOuts signOuts;

    SessionsServlet(SessionHandler sessions, Devices devices, SignOuts signOuts) {
        this.sessions = sessions;
        this.devices = devices;
        this.signOuts = signOuts;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
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
            // This session's own record of its sign-in survives a restart; the others' are the listener's.
            Instant signedIn = current ? (Instant) session.getAttribute(ShopServlet.SIGNED_IN)
                    : devices.signedInAt(s.id());
            html.append("<tr").append(current ? " class=\"current\"" : "").append("><td>")
                    .append(PageLayout.escape(devices.of(s.id()))).append("</td><td class=\"signed-in\">")
                    .append(signedIn == null ? "unknown" : TIME.format(signedIn)).append("</td><td>")
                    .append(TIME.format(s.lastAccessed())).append("</td><td>")
                    .append(PageLayout.escape(s.node() == null ? "(not saved yet)" : s.node()))
                    .append("</td><td>")
                    .append(current ? "<strong>this one</strong>" : "").append("</td></tr>");
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

    /**
     * Which device (User-Agent) signed each session in, and when; forgotten when the session ends, moved when it
     * changes id. In this process's memory: sessions signed in on another server or before a restart are unknown.
     */
    static final class Devices implements HttpSessionListener, HttpSessionIdListener {
        private static final int MAX_LENGTH = 80;

        private record SignIn(String device, Instant at) {
        }

        private final Map<String, SignIn> byId = new ConcurrentHashMap<>();

        void signedIn(HttpServletRequest request, Instant at) {
            String agent = request.getHeader("User-Agent");
            String device = agent == null || agent.isBlank() ? "unknown device"
                    : agent.length() <= MAX_LENGTH ? agent : agent.substring(0, MAX_LENGTH) + "...";
            byId.put(request.getSession().getId(), new SignIn(device, at));
        }

        String of(String sessionId) {
            SignIn signIn = byId.get(sessionId);
            return signIn != null ? signIn.device()
                    : "unknown device (signed in on another server, or before a restart)";
        }

        /** When the session signed in, or null if unknown here. */
        Instant signedInAt(String sessionId) {
            SignIn signIn = byId.get(sessionId);
            return signIn == null ? null : signIn.at();
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent event) {
            byId.remove(event.getSession().getId());
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            SignIn device = byId.remove(oldSessionId);
            if (device != null) {
                byId.put(event.getSession().getId(), device);
            }
        }
    }
}
