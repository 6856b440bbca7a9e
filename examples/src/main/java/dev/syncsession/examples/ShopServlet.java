/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.examples;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.syncsession.jetty.users.UserSession;
import dev.syncsession.jetty.users.UserSessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.eclipse.jetty.ee11.servlet.SessionHandler;

/**
 * A small shop whose whole state lives in the session, so that what the session store does is visible: a visit
 * counter, sign-in (which gives the session a new id, against session fixation), a cart, and sign-out (which
 * invalidates the session). A device signed out by another one (its "sign out everywhere", or the per-user limit)
 * sees why above the sign-in form ({@link SignOuts}).
 *
 * <p>Session attributes are plain JDK values (String, Integer, Instant, LinkedHashMap), which every snapshot and store can
 * serialise without extra configuration. An attribute is never mutated in place: the servlet stores a new value, so
 * that the session knows it changed. Two cart updates of one session that race each other may lose one (the last
 * write wins): acceptable for a demo, where one person clicks one button at a time.
 *
 * <p>Routes: {@code GET /} the shop ({@code ?notice=} one of {@link SignOuts.Notice}'s keys shows that notice to a
 * visitor who is not signed in); {@code POST /signin} (name), {@code POST /signout}, {@code POST /cart}
 * (product, action add|remove); each POST answers with a redirect to {@code /}.
 */
final class ShopServlet extends HttpServlet {

    private final transient SessionHandler sessions;
    private final transient SignOuts signOuts;

    ShopServlet(SessionHandler sessions, SignOuts signOuts) {
        this.sessions = sessions;
        this.signOuts = signOuts;
    }

    static final String USER = "user";
    /** When the session signed in, an {@link Instant}; the session's creation time is its first visit. */
    static final String SIGNED_IN = "signedIn";
    /**
     * The device that signed the session in (its User-Agent, shortened), a {@code String}: kept in the session, so
     * that every node sharing the sessions, and this one after a restart, can name it on "Your sessions".
     */
    static final String DEVICE = "device";
    static final String UNKNOWN_DEVICE = "unknown device";
    private static final int MAX_DEVICE_LENGTH = 80;
    static final String CART = "cart";
    static final String VISITS = "visits";

    /** Longest accepted display name; it is shown back on the page, so it is kept short. */
    static final int MAX_NAME_LENGTH = 32;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getServletPath().isEmpty() && !request.getServletPath().equals("/")) {
            seeOther(response);
            return;
        }
        // Asked before getSession makes a new session: whether the session this device had was ended elsewhere.
        Optional<SignOuts.Notice> notice = request.isRequestedSessionIdValid() ? Optional.empty()
                : signOuts.take(request.getRequestedSessionId());
        if (notice.isEmpty()) {
            notice = SignOuts.Notice.ofKey(request.getParameter("notice"));
        }
        HttpSession session = request.getSession(true);
        Integer visits = (Integer) session.getAttribute(VISITS);
        int count = visits == null ? 1 : visits + 1;
        session.setAttribute(VISITS, count);
        render(response, session, count, null, notice.orElse(null));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getServletPath()) {
            case "/signin" -> signIn(request, response);
            case "/signout" -> signOut(request, response);
            case "/cart" -> updateCart(request, response);
            default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = Optional.ofNullable(request.getParameter("name")).orElse("").strip();
        String problem = checkName(name);
        HttpSession session = request.getSession(true);
        if (problem != null) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            Integer visits = (Integer) session.getAttribute(VISITS);
            render(response, session, visits == null ? 0 : visits, problem, null);
            return;
        }
        // A new id at the moment of privilege change: an id planted or seen before sign-in is worthless afterwards.
        request.changeSessionId();
        rememberWhoTheLimitSignsOut(name, session.getId());
        Instant now = Instant.now();
        session.setAttribute(SIGNED_IN, now);
        session.setAttribute(DEVICE, device(request));
        session.setAttribute(USER, name);
        seeOther(response);
    }

    private static String device(HttpServletRequest request) {
        String agent = request.getHeader("User-Agent");
        return agent == null || agent.isBlank() ? UNKNOWN_DEVICE
                : agent.length() <= MAX_DEVICE_LENGTH ? agent : agent.substring(0, MAX_DEVICE_LENGTH) + "...";
    }

    /**
     * With INVALIDATE_OLDEST (SessionSetup), the sign-in about to happen ends the user's oldest sessions past the
     * per-user limit, on the store's thread: tell those devices why when they come back.
     */
    private void rememberWhoTheLimitSignsOut(String user, String signingIn) {
        List<UserSession> others = UserSessions.of(sessions).list(user).stream()
                .filter(s -> !s.id().equals(signingIn)).toList();
        int over = others.size() + 1 - SessionSetup.MAX_SESSIONS_PER_USER;
        for (int i = 0; i < over; i++) {
            signOuts.remember(others.get(i).id(), SignOuts.Notice.TOO_MANY_SESSIONS);
        }
    }

    private static String checkName(String name) {
        if (name.isEmpty()) {
            return "Enter a name to sign in.";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "That name is " + name.length() + " characters long; at most " + MAX_NAME_LENGTH + " please.";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "Names cannot contain control characters.";
        }
        return null;
    }

    private void signOut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        seeOther(response);
    }

    private void updateCart(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Catalog.Product> product = Catalog.find(request.getParameter("product"));
        String action = request.getParameter("action");
        if (product.isEmpty() || !("add".equals(action) || "remove".equals(action))) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST,
                    "expected product=" + Catalog.PRODUCTS.get(0).id() + " (or another catalog id) and action=add|remove");
            return;
        }
        HttpSession session = request.getSession(true);
        LinkedHashMap<String, Integer> cart = new LinkedHashMap<>(cartOf(session));
        String id = product.get().id();
        if (action.equals("add")) {
            cart.merge(id, 1, Integer::sum);
        } else {
            cart.computeIfPresent(id, (key, quantity) -> quantity > 1 ? quantity - 1 : null);
        }
        session.setAttribute(CART, cart);
        seeOther(response);
    }

    /** Post/redirect/get: a 303 makes the browser fetch the shop with GET, so a reload does not post again. */
    private static void seeOther(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", "/");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> cartOf(HttpSession session) {
        Object cart = session.getAttribute(CART);
        return cart == null ? Map.of() : (Map<String, Integer>) cart;
    }

    private static void render(HttpServletResponse response, HttpSession session, int visits, String problem,
            SignOuts.Notice notice) throws IOException {
        String user = (String) session.getAttribute(USER);
        StringBuilder html = new StringBuilder(4096);

        html.append("<section class=\"panel\" id=\"session\"><h2>Your session</h2><dl>")
                .append("<dt>Session id</dt><dd><code id=\"session-id\" title=\"its last characters\">&hellip;")
                .append(PageLayout.escape(fingerprint(session.getId())))
                .append("</code> <small>changes when you sign in</small></dd>")
                .append("<dt>Created</dt><dd>").append(TIME.format(Instant.ofEpochMilli(session.getCreationTime())))
                .append("</dd><dt>Visits to this page</dt><dd id=\"visits\">").append(visits).append("</dd>")
                .append("<dt>Expires after</dt><dd>").append(idleTimeout(session.getMaxInactiveInterval()))
                .append("</dd></dl></section>");

        html.append("<section class=\"panel\" id=\"account\"><h2>Account</h2>");
        if (problem != null) {
            html.append("<p class=\"problem\" id=\"problem\">").append(PageLayout.escape(problem)).append("</p>");
        }
        if (user == null) {
            if (notice != null) {
                html.append("<p class=\"notice\" id=\"notice\" data-notice=\"").append(notice.key).append("\">")
                        .append(PageLayout.escape(notice.text)).append("</p>");
            }
            html.append("<form method=\"post\" action=\"/signin\" id=\"signin\">")
                    .append("<label>Name <input name=\"name\" id=\"name\" maxlength=\"").append(MAX_NAME_LENGTH)
                    .append("\" autocomplete=\"username\" required></label> ")
                    .append("<button type=\"submit\">Sign in</button></form>")
                    .append("<p><small>Demo sign-in: any name, no password.</small></p>");
        } else {
            html.append("<p>Signed in as <strong id=\"user\">").append(PageLayout.escape(user)).append("</strong>")
                    .append(" &middot; <a href=\"/sessions\" id=\"your-sessions-link\">your sessions</a></p>")
                    .append("<form method=\"post\" action=\"/signout\" id=\"signout\">")
                    .append("<button type=\"submit\">Sign out</button></form>");
        }
        html.append("</section>");

        html.append("<section class=\"panel\" id=\"catalog\"><h2>Products</h2><ul class=\"products\">");
        for (Catalog.Product product : Catalog.PRODUCTS) {
            html.append("<li><span>").append(PageLayout.escape(product.name())).append("</span> <span class=\"price\">")
                    .append(Catalog.formatPrice(product.priceCents())).append("</span>")
                    .append(cartButton(product, "add", "Add to cart")).append("</li>");
        }
        html.append("</ul></section>");

        html.append("<section class=\"panel\" id=\"cart\"><h2>Cart</h2>");
        Map<String, Integer> cart = cartOf(session);
        if (cart.isEmpty()) {
            html.append("<p id=\"cart-empty\">Your cart is empty.</p>");
        } else {
            long total = 0;
            html.append("<table><tbody>");
            for (Map.Entry<String, Integer> line : cart.entrySet()) {
                Optional<Catalog.Product> product = Catalog.find(line.getKey());
                if (product.isEmpty()) {
                    continue;
                }
                long subtotal = (long) product.get().priceCents() * line.getValue();
                total += subtotal;
                html.append("<tr data-product=\"").append(PageLayout.escape(line.getKey())).append("\"><td>")
                        .append(PageLayout.escape(product.get().name())).append("</td><td class=\"quantity\">")
                        .append(line.getValue()).append("</td><td class=\"price\">")
                        .append(Catalog.formatPrice(subtotal)).append("</td><td>")
                        .append(cartButton(product.get(), "remove", "Remove one")).append("</td></tr>");
            }
            html.append("</tbody><tfoot><tr><td>Total</td><td></td><td class=\"price\" id=\"cart-total\">")
                    .append(Catalog.formatPrice(total)).append("</td><td></td></tr></tfoot></table>");
        }
        html.append("</section>");

        PageLayout.write(response, "Shop", html.toString());
    }

    private static String cartButton(Catalog.Product product, String action, String label) {
        return "<form method=\"post\" action=\"/cart\" class=\"inline\">"
                + "<input type=\"hidden\" name=\"product\" value=\"" + PageLayout.escape(product.id()) + "\">"
                + "<input type=\"hidden\" name=\"action\" value=\"" + action + "\">"
                + "<button type=\"submit\" data-action=\"" + action + "-" + PageLayout.escape(product.id()) + "\">"
                + label + "</button></form>";
    }

    private static String idleTimeout(int seconds) {
        if (seconds <= 0) {
            return "never";
        }
        return seconds < 120 ? seconds + " idle seconds" : seconds / 60 + " idle minutes";
    }

    /**
     * The end of the id (the start may be a fixed node name): enough to see it change, not enough to take over the
     * session by reading it off the screen.
     */
    static String fingerprint(String id) {
        return id.length() <= 8 ? id : id.substring(id.length() - 8);
    }
}
