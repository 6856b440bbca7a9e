/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what a person sees on the shop page out of its HTML. */
record ShopPage(String html) {

    private static final Pattern USER = Pattern.compile("<strong id=\"user\">([^<]*)</strong>");
    private static final Pattern VISITS = Pattern.compile("<dd id=\"visits\">(\\d+)</dd>");
    private static final Pattern CART_LINE =
            Pattern.compile("<tr data-product=\"([^\"]+)\"><td>[^<]*</td><td class=\"quantity\">(\\d+)</td>");
    private static final Pattern TOTAL = Pattern.compile("id=\"cart-total\">([^<]*)<");
    private static final Pattern NOTICE = Pattern.compile("<p class=\"notice\" id=\"notice\"[^>]*>([^<]*)</p>");

    /** The signed-in user's name as shown (still HTML-escaped), or null when signed out. */
    String user() {
        Matcher m = USER.matcher(html);
        return m.find() ? m.group(1) : null;
    }

    int visits() {
        Matcher m = VISITS.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no visit counter on the page:\n" + html);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Product id to quantity, in cart order. */
    Map<String, Integer> cart() {
        Map<String, Integer> lines = new LinkedHashMap<>();
        Matcher m = CART_LINE.matcher(html);
        while (m.find()) {
            lines.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return lines;
    }

    /** The line above the sign-in form saying why the visitor is signed out, or null when there is none. */
    String notice() {
        Matcher m = NOTICE.matcher(html);
        return m.find() ? m.group(1) : null;
    }

    String total() {
        Matcher m = TOTAL.matcher(html);
        return m.find() ? m.group(1) : null;
    }
}
