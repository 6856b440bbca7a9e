/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.internal;

import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.session.SessionData;

/**
 * Where a session's principal comes from: Jetty's authenticated user, which Jetty's authenticators keep in the
 * session attribute {@value #JETTY_AUTHENTICATED_ATTRIBUTE} (a {@code SessionAuthentication}, read through its
 * public {@code getUserIdentity().getUserPrincipal()} so that jetty-security need not be on the class path), or else
 * the configured user attribute: a {@code String} (blank is no principal) or a {@link Principal}. Values of any
 * other type name no principal. Immutable.
 *
 * <p>Part of syncsession's store, public only to cross packages; applications configure the attribute through
 * {@code userAttribute} and never use this class.
 */
public final class UserSource {

    /** Jetty's {@code SessionAuthentication.AUTHENTICATED_ATTRIBUTE}. */
    public static final String JETTY_AUTHENTICATED_ATTRIBUTE = "org.eclipse.jetty.security.UserIdentity";

    /** Principals longer than this are taken for a mistake (an object's toString, a token) and not indexed. */
    static final int MAX_PRINCIPAL_LENGTH = 256;

    private static final ClassValue<Method> USER_IDENTITY = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return publicMethod(type, "getUserIdentity");
        }
    };

    private static final ClassValue<Method> USER_PRINCIPAL = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return publicMethod(type, "getUserPrincipal");
        }
    };

    private final String attribute;

    private UserSource(String attribute) {
        this.attribute = attribute;
    }

    /**
     * The principal of Jetty's authenticated user, or else of the given attribute.
     *
     * @param attribute the application's user attribute, or null for Jetty's authenticated user only
     * @return the source
     */
    public static UserSource of(String attribute) {
        if (attribute != null && attribute.isBlank()) {
            throw new IllegalArgumentException("the user attribute name is blank");
        }
        return new UserSource(attribute);
    }

    /**
     * The application's user attribute.
     *
     * @return its name, or null if only Jetty's authenticated user counts
     */
    public String attribute() {
        return attribute;
    }

    /**
     * Whether setting this attribute can change the session's principal.
     *
     * @param name an attribute name
     * @return true for Jetty's authentication attribute and the user attribute
     */
    public boolean isUserAttribute(String name) {
        return JETTY_AUTHENTICATED_ATTRIBUTE.equals(name) || Objects.equals(attribute, name);
    }

    /**
     * The principal the attributes name.
     *
     * @param attributes a session's attributes
     * @return the principal name, or null if the session is not signed in
     */
    public String userOf(Map<String, Object> attributes) {
        return userOf(attributes.get(JETTY_AUTHENTICATED_ATTRIBUTE),
                attribute == null ? null : attributes.get(attribute));
    }

    /**
     * The principal a session's data names, read attribute by attribute (no map view).
     *
     * @param data a session's data
     * @return the principal name, or null if the session is not signed in
     */
    public String userOf(SessionData data) {
        return userOf(data.getAttribute(JETTY_AUTHENTICATED_ATTRIBUTE),
                attribute == null ? null : data.getAttribute(attribute));
    }

    /**
     * The principal named by the two attributes' values: Jetty's authenticated user first.
     *
     * @param authenticated the value of {@value #JETTY_AUTHENTICATED_ATTRIBUTE}, or null
     * @param applicationValue the value of the user attribute, or null
     * @return the principal name, or null
     */
    public String userOf(Object authenticated, Object applicationValue) {
        String jetty = authenticated == null ? null : authenticatedName(authenticated);
        if (jetty != null) {
            return jetty;
        }
        return applicationValue == null ? null : name(applicationValue);
    }

    private static String authenticatedName(Object authentication) {
        try {
            Method identity = USER_IDENTITY.get(authentication.getClass());
            Object user = identity == null ? null : identity.invoke(authentication);
            Method principal = user == null ? null : USER_PRINCIPAL.get(user.getClass());
            Object value = principal == null ? null : principal.invoke(user);
            return value == null ? null : name(value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String name(Object value) {
        String name;
        if (value instanceof String s) {
            name = s;
        } else if (value instanceof Principal p) {
            name = p.getName();
        } else {
            return null;
        }
        return name == null || name.isBlank() || name.length() > MAX_PRINCIPAL_LENGTH ? null : name;
    }

    private static Method publicMethod(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }
}
