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
import java.util.Collections;
import java.util.TreeSet;

/**
 * The overlap benchmark's application ({@link OverlapClient}), at {@code /overlap}: {@code ?set=NAME} sets one
 * attribute of the session (a String), {@code ?cart=ITEM} adds an item to its {@link BenchCart} with
 * {@code setAttribute}, {@code ?names} lists the attribute names and {@code ?items} the cart's items, one per line.
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
        } else if (request.getParameter("names") != null) {
            body = String.join("\n", new TreeSet<>(Collections.list(session.getAttributeNames())));
        } else if (request.getParameter("items") != null) {
            BenchCart cart = (BenchCart) session.getAttribute("cart");
            body = cart == null ? "" : String.join("\n", cart.items());
        } else {
            response.sendError(400, "give set, cart, names or items");
            return;
        }
        response.setContentType("text/plain");
        response.getWriter().print(body);
    }
}
