/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serializable {@link Proxy} of an interface that only the web application's class loader knows (the shape of
 * CDI and Spring scoped proxies) reads back from serialized attributes with that loader: the proxy's interfaces are
 * resolved like every other class, as Jetty's {@code ClassLoadingObjectInputStream} resolves them.
 */
class SerializedProxyAttributesTest {

    /** Answers every call with the method's name: serializable, and on the library's class path. */
    static final class NamingHandler implements InvocationHandler, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            return method.getName().equals("greeting") ? "hello from " + method.getDeclaringClass().getSimpleName()
                    : null;
        }
    }

    /** Compiles {@code webapp.Greeter} into {@code dir} and returns a loader that sees it (the test's does not). */
    private static URLClassLoader webAppLoader(Path dir, String modifiers) throws IOException {
        Path source = dir.resolve("webapp/Greeter.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package webapp; " + modifiers + " interface Greeter { String greeting(); }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), source.toString()));
        Files.delete(source);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, SerializedProxyAttributesTest.class.getClassLoader());
    }

    @Test
    void aProxyOfAWebAppInterfaceReadsBackWithTheWebAppsLoader(@TempDir Path dir) throws Exception {
        try (URLClassLoader webApp = webAppLoader(dir, "public")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("webapp.Greeter"),
                    "the test's own loader must not see the interface, or the test proves nothing");
            Class<?> greeter = webApp.loadClass("webapp.Greeter");
            Object proxy = Proxy.newProxyInstance(webApp, new Class<?>[] {greeter}, new NamingHandler());

            SessionAttributes attributes = AttributeStorage.SERIALIZED.of(Map.of("scoped", proxy, "n", 1));
            Map<String, Object> read = attributes.toMap(webApp);

            Object copy = read.get("scoped");
            assertTrue(Proxy.isProxyClass(copy.getClass()), copy.getClass().getName());
            assertTrue(greeter.isInstance(copy), "the copy implements the web application's interface");
            assertEquals("hello from Greeter", greeter.getMethod("greeting").invoke(copy));
            assertEquals(1, read.get("n"));
        }
    }

    @Test
    void aProxyOfANonPublicWebAppInterfaceIsDefinedInThatInterfacesLoader(@TempDir Path dir) throws Exception {
        try (URLClassLoader webApp = webAppLoader(dir, "")) {
            Class<?> greeter = webApp.loadClass("webapp.Greeter");
            Object proxy = Proxy.newProxyInstance(webApp, new Class<?>[] {greeter}, new NamingHandler());

            Object copy = AttributeStorage.SERIALIZED.of(Map.of("scoped", proxy)).toMap(webApp).get("scoped");

            assertTrue(greeter.isInstance(copy));
            assertEquals(webApp, copy.getClass().getClassLoader());
        }
    }

    @Test
    void aProxyWhoseInterfaceNoLoaderKnowsIsUnreadableNotAbsent(@TempDir Path dir) throws Exception {
        try (URLClassLoader webApp = webAppLoader(dir, "public")) {
            Object proxy = Proxy.newProxyInstance(webApp, new Class<?>[] {webApp.loadClass("webapp.Greeter")},
                    new NamingHandler());
            SessionAttributes attributes = AttributeStorage.SERIALIZED.of(Map.of("scoped", proxy));
            UnreadableSessionException e = assertThrows(UnreadableSessionException.class,
                    () -> attributes.toMap(SerializedProxyAttributesTest.class.getClassLoader()));
            assertEquals("scoped", e.attributeName());
            assertTrue(e.getMessage().contains("webapp.Greeter"), e.getMessage());
        }
    }

    @Test
    void ordinaryAttributesStillReadBack() {
        Map<String, Object> read = AttributeStorage.SERIALIZED.of(Map.of("list", List.of("a", "b")))
                .toMap(SerializedProxyAttributesTest.class.getClassLoader());
        assertEquals(List.of("a", "b"), read.get("list"));
    }
}
