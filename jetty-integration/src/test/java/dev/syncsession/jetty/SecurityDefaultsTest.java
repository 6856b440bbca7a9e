/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.session.SessionIdManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The defaults SECURITY.md promises: cookie attributes and 128-bit session ids. */
class SecurityDefaultsTest {

    /** Jetty's worker name, then 16 random bytes as unpadded URL-safe Base64. */
    private static final Pattern ID_128_BITS = Pattern.compile("node0[A-Za-z0-9_-]{22}");

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

    @Test
    void installingOnAServerGivesIdsOf128RandomBits() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.addServlet(SessionTestServer.SessionServlet.class, "/session/*");
        server.setHandler(context);
        SyncSessions.install(server);
        HttpClient client = new HttpClient();
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        server.start();
        client.start();
        try {
            assertInstanceOf(SecureSessionIdManager.class, server.getBean(SessionIdManager.class));
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                ContentResponse response = client.GET("http://127.0.0.1:" + connector.getLocalPort()
                        + "/session/increment");
                String cookie = HardenedServer.sessionIdSetBy(response);
                String id = cookie.substring(0, cookie.indexOf('.'));
                assertTrue(ID_128_BITS.matcher(id).matches(), id);
                ids.add(id);
            }
            assertEquals(200, ids.size());
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
