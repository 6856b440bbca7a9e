/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cookie defaults SECURITY.md promises, the same for an install on a context and on a server. */
class SecurityDefaultsTest {

    @Test
    void installingOnAContextMakesTheCookieHttpOnlyAndSameSiteLaxAndNotSecureOverPlainHttp() throws Exception {
        try (HardenedServer server = new HardenedServer(SyncSessions.builder())) {
            ContentResponse response = server.get("increment", null);
            String setCookie = response.getHeaders().get(HttpHeader.SET_COOKIE);
            assertTrue(setCookie.contains("HttpOnly"), setCookie);
            assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
            assertFalse(setCookie.contains("Secure"), "Secure only when the request came over HTTPS: " + setCookie);
        }
    }

    /**
     * install(server) means what install(sessionHandler) means: every context, including one added after the
     * install, gets the cookie defaults, and a context that sets an attribute itself keeps its choice.
     */
    @Test
    void installingOnAServerGivesEveryContextTheCookieDefaultsAndAContextsOwnChoiceWins() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler plain = new ServletContextHandler(ServletContextHandler.SESSIONS);
        plain.setContextPath("/plain");
        plain.addServlet(SessionTestServer.SessionServlet.class, "/session/*");
        ContextHandlerCollection contexts = new ContextHandlerCollection(plain);
        server.setHandler(contexts);
        SyncSessions.install(server);
        ServletContextHandler own = new ServletContextHandler(ServletContextHandler.SESSIONS);
        own.setContextPath("/own");
        own.addServlet(SessionTestServer.SessionServlet.class, "/session/*");
        own.getSessionHandler().setHttpOnly(false);
        own.getSessionHandler().setSameSite(HttpCookie.SameSite.STRICT);
        contexts.addHandler(own); // added after the install, as a deployer adds a web application
        HttpClient client = new HttpClient();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        server.start();
        client.start();
        try {
            String base = "http://127.0.0.1:" + connector.getLocalPort();
            String plainCookie = client.GET(base + "/plain/session/increment").getHeaders().get(HttpHeader.SET_COOKIE);
            assertTrue(plainCookie.contains("HttpOnly") && plainCookie.contains("SameSite=Lax"), plainCookie);
            String ownCookie = client.GET(base + "/own/session/increment").getHeaders().get(HttpHeader.SET_COOKIE);
            assertFalse(ownCookie.contains("HttpOnly"), ownCookie);
            assertTrue(ownCookie.contains("SameSite=Strict"), ownCookie);
        } finally {
            client.stop();
            server.stop();
        }
    }

    @Test
    void withoutSecureCookiesNoCookieAttributeIsChanged() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.addServlet(SessionTestServer.SessionServlet.class, "/session/*");
        server.setHandler(context);
        SyncSessions.builder().secureCookies(false).install(server);
        HttpClient client = new HttpClient();
        server.start();
        client.start();
        try {
            String cookie = client.GET("http://127.0.0.1:" + connector.getLocalPort() + "/session/increment")
                    .getHeaders().get(HttpHeader.SET_COOKIE);
            assertFalse(cookie.contains("HttpOnly") || cookie.contains("SameSite"), cookie);
        } finally {
            client.stop();
            server.stop();
        }
    }

    /**
     * The other half of {@code setSecureRequestOnly}: a session created over HTTPS gets a Secure cookie. A real TLS
     * connector on 127.0.0.1, with a key pair made for the test by the JDK's keytool.
     */
    @Test
    void installingOnAContextMakesTheCookieSecureOverHttps(@TempDir Path dir) throws Exception {
        String password = "test-only";
        Path keyStore = selfSignedKeyStore(dir, password);

        Server server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore.toString());
        tls.setKeyStoreType("PKCS12");
        tls.setKeyStorePassword(password);
        HttpConfiguration httpsConfig = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer(false); // the client connects to an IP address
        secure.setSniHostCheck(false);
        httpsConfig.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(httpsConfig));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.addServlet(SessionTestServer.SessionServlet.class, "/session/*");
        SyncSessions.builder().install(context.getSessionHandler());
        server.setHandler(context);

        ClientConnector clientConnector = new ClientConnector();
        clientConnector.setSslContextFactory(new SslContextFactory.Client(true)); // trusts the test's own key
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(clientConnector));
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        server.start();
        try {
            client.start();
            ContentResponse response = client.GET("https://127.0.0.1:" + connector.getLocalPort()
                    + "/session/increment");
            assertEquals(200, response.getStatus(), response.getContentAsString());
            String setCookie = response.getHeaders().get(HttpHeader.SET_COOKIE);
            assertTrue(setCookie.contains("; Secure"), "a session created over HTTPS: " + setCookie);
            assertTrue(setCookie.contains("HttpOnly"), setCookie);
            assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        } finally {
            client.stop();
            server.stop();
        }
    }

    /** A PKCS12 key store holding one self-signed EC key pair for CN=localhost, made by the JDK's keytool. */
    private static Path selfSignedKeyStore(Path dir, String password) throws Exception {
        Path keyStore = dir.resolve("test-keystore.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path log = dir.resolve("keytool.log");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "test",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password,
                "-keypass", password))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 60 s");
        }
        if (process.exitValue() != 0 || !Files.exists(keyStore)) {
            throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + Files.readString(log));
        }
        return keyStore;
    }
}
