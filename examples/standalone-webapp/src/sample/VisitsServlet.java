/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package sample;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The README's standalone sample: counts the visits of each session and answers {@code visits=N}. It is declared in
 * {@code WEB-INF/web.xml}, so it works with or without Jetty's annotations module, and it uses only the Servlet API,
 * so the recipe compiles it with {@code javac} against the servlet jar of jetty-home.
 */
public class VisitsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        Integer previous = (Integer) session.getAttribute("visits");
        int visits = previous == null ? 1 : previous + 1;
        session.setAttribute("visits", visits);
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().write("visits=" + visits + "\n");
    }
}
