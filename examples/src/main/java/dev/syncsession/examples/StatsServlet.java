/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.IOException;

import com.fasterxml.jackson.jr.ob.JSON;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The store dashboard: {@code GET /stats.json} answers {@link StoreStats#snapshot()} as JSON, {@code GET /stats}
 * the page ({@code stats.html}) whose script polls that JSON. Neither creates a session, so watching the dashboard
 * does not change what it shows.
 */
final class StatsServlet extends HttpServlet {

    /** Writes null fields too, so the page can tell "no value" from a missing field. */
    private static final JSON JSON_WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private final transient StoreStats stats;

    StatsServlet(StoreStats stats) {
        this.stats = stats;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        response.setHeader("Cache-Control", "no-store");
        if (request.getServletPath().equals("/stats.json")) {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(JSON_WRITER.asString(stats.snapshot()));
            return;
        }
        request.getRequestDispatcher("/static/stats.html").forward(request, response);
    }
}
