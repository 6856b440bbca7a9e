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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The overlap benchmark's application ({@link OverlapClient}), at {@code /overlap}: {@code ?set=NAME} sets one
 * attribute of the session (a String), {@code ?cart=ITEM} adds an item to its {@link BenchCart} with
 * {@code setAttribute}, {@code ?names} lists the attribute names and {@code ?items} the cart's items, one per line.
 * For the mode with ten attributes: {@code ?fill=N&bytes=S} sets {@code f0} to {@code f<N-1>}, each a String of S
 * characters; {@code ?put=NAME&value=V&bytes=S} sets one to V, a dot and random characters up to S; {@code ?values}
 * lists each String attribute as {@code name=value} without its padding.
 * Creates the session on a request that has none.
 */
final class OverlapServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        String body;
        if (request.getParameter("set") != null) {
            session.setAttribute(request.getParameter("set"), "1");
            body = "ok";
        } else if (request.getParameter("cart") != null) {
            BenchCart cart = (BenchCart) session.getAttribute("cart");
            session.setAttribute("cart", (cart == null ? BenchCart.EMPTY : cart).with(request.getParameter("cart")));
            body = "ok";
        } else if (request.getParameter("fill") != null) {
            int count = Integer.parseInt(request.getParameter("fill"));
            int bytes = Integer.parseInt(request.getParameter("bytes"));
            for (int i = 0; i < count; i++) {
                session.setAttribute("f" + i, padded("v" + i, bytes));
            }
            body = "ok";
        } else if (request.getParameter("put") != null) {
            session.setAttribute(request.getParameter("put"), padded(request.getParameter("value"),
                    Integer.parseInt(request.getParameter("bytes"))));
            body = "ok";
        } else if (request.getParameter("values") != null) {
            List<String> lines = new ArrayList<>();
            for (String name : new TreeSet<>(Collections.list(session.getAttributeNames()))) {
                if (session.getAttribute(name) instanceof String value) {
                    int pad = value.indexOf('.');
                    lines.add(name + "=" + (pad < 0 ? value : value.substring(0, pad)));
                }
            }
            body = String.join("\n", lines);
        } else if (request.getParameter("names") != null) {
            body = String.join("\n", new TreeSet<>(Collections.list(session.getAttributeNames())));
        } else if (request.getParameter("items") != null) {
            BenchCart cart = (BenchCart) session.getAttribute("cart");
            body = cart == null ? "" : String.join("\n", cart.items());
        } else {
            response.sendError(400, "give set, cart, fill, put, names, items or values");
            return;
        }
        response.setContentType("text/plain");
        response.getWriter().print(body);
    }

    /**
     * {@code value}, a dot, and random letters and digits up to {@code chars} characters (about as many bytes
     * serialized): random, so that PostgreSQL's compression of large column values does not shrink them as it would
     * a repeated character.
     */
    private static String padded(String value, int chars) {
        return value + '.' + randomLetters(chars - value.length() - 1);
    }

    /** {@code chars} random letters and digits (none if {@code chars} is not positive). */
    static String randomLetters(int chars) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] letters = new char[Math.max(0, chars)];
        for (int i = 0; i < letters.length; i++) {
            letters[i] = LETTERS.charAt(random.nextInt(LETTERS.length()));
        }
        return new String(letters);
    }

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
}
