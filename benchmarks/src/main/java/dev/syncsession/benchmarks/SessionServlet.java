/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * The HTTP benchmark's application: reads three session attributes and increments one, creating the session and
 * its attributes on a client's first request. Attributes are Strings and Integers, so every store can serialize
 * them. A first request with {@code ?ttl=S} gives its session a max inactive interval of S seconds.
 */
final class SessionServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        Object user = session.getAttribute("user");
        Object locale = session.getAttribute("locale");
        Integer visits = (Integer) session.getAttribute("visits");
        if (session.isNew() && request.getParameter("ttl") != null) {
            // The expiry benchmark's short-lived sessions: this many seconds idle and they expire.
            session.setMaxInactiveInterval(Integer.parseInt(request.getParameter("ttl")));
        }
        if (user == null || locale == null || visits == null) {
            user = "user-" + session.getId().hashCode();
            locale = "en-GB";
            visits = 0;
            session.setAttribute("user", user);
            session.setAttribute("locale", locale);
        }
        session.setAttribute("visits", visits + 1);
        response.setContentType("text/plain");
        response.getWriter().print(user + " " + locale + " " + (visits + 1));
    }
}
