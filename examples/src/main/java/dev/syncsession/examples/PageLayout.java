/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.servlet.http.HttpServletResponse;

/** The frame shared by the example's HTML pages, and the escaping every piece of user text goes through. */
final class PageLayout {

    private PageLayout() {
    }

    /**
     * Writes a complete page around {@code body}.
     *
     * @param response the response to write to
     * @param title the page title, plain text
     * @param body HTML whose user-supplied parts are already {@linkplain #escape escaped}
     */
    static void write(HttpServletResponse response, String title, String body) throws IOException {
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'");
        PrintWriter out = response.getWriter();
        out.print("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>""");
        out.print(escape(title));
        out.print("""
                 &middot; syncsession example</title>
                <link rel="stylesheet" href="/static/style.css">
                </head>
                <body>
                <header>
                  <span class="brand">syncsession</span>
                  <nav><a href="/">Shop</a> <a href="/stats">Store dashboard</a></nav>
                </header>
                <main>
                """);
        out.print(body);
        out.print("""
                </main>
                </body>
                </html>
                """);
    }

    /**
     * Escapes text for use in HTML element content and quoted attribute values.
     *
     * @param text plain text, may be null (written as nothing)
     * @return the escaped text
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
