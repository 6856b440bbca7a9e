/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.counterapp;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The web application that {@code StandaloneJettyIT} deploys into a real Jetty distribution: it counts the
 * visits of each session and answers {@code visits=N session=ID}. Only JDK and Servlet API classes are used, so the
 * class file can be copied into {@code WEB-INF/classes} as it is.
 */
public class VisitCounterServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        Integer previous = (Integer) session.getAttribute("visits");
        int visits = previous == null ? 1 : previous + 1;
        session.setAttribute("visits", visits);
        response.setContentType("text/plain");
        response.getWriter().write("visits=" + visits + " session=" + session.getId());
    }
}
