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
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP benchmark's application for issue #27's measure ({@code BenchServer --attributes N --value-chars C}, in
 * place of {@link SessionServlet} at {@code /s}): a session of N String attributes of C characters each, of which
 * every request reads all and replaces one, chosen at random, with a new value of the same length. The values are
 * random letters and digits ({@link OverlapServlet#randomLetters}), so that PostgreSQL's compression does not shrink
 * them.
 */
final class ManyAttributesServlet extends HttpServlet {

    private final int attributes;
    private final int chars;

    ManyAttributesServlet(int attributes, int chars) {
        if (attributes < 1 || chars < 1) {
            throw new IllegalArgumentException("--attributes and --value-chars must be at least 1, not "
                    + attributes + " and " + chars);
        }
        this.attributes = attributes;
        this.chars = chars;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        long length = 0;
        for (int i = 0; i < attributes; i++) {
            Object value = session.getAttribute("a" + i);
            if (value == null) {
                value = random();
                session.setAttribute("a" + i, value);
            }
            length += ((String) value).length();
        }
        if (!session.isNew()) {
            session.setAttribute("a" + ThreadLocalRandom.current().nextInt(attributes), random());
        }
        response.setContentType("text/plain");
        response.getWriter().print(length);
    }

    private String random() {
        return OverlapServlet.randomLetters(chars);
    }
}
