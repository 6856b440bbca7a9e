/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.session;

/**
 * A session attribute value that can be combined with another copy of itself, for stores shared by many nodes.
 *
 * <p>When two overlapping requests of one session, on two nodes, both change the attribute, the later save normally
 * replaces the earlier one's value. If the later value implements this interface and the stored value (the one the
 * earlier save wrote) is of the same class, the later save writes {@code later.mergeWith(stored)} instead: a cart
 * that unions its items keeps the items both requests added.
 *
 * <p>Where the store detects in-place changes, it keeps the serialized form of each attribute as loaded, and merges
 * only when another node changed this attribute since. Otherwise {@code stored} may also be the value this request
 * loaded and then changed, without any other node having touched the attribute (the store then only knows that the
 * session's row changed, not which attribute), so a merge must give this value back when {@code stored} is an
 * earlier state of it: a union, a maximum, a set of ids. A merge that adds up counts would count this request's own
 * change twice. A union cannot express a removal by itself: a value
 * that must forget items under overlap keeps their removal in it (a set of removed ids, for example).
 *
 * <p>Called on the saving request's thread, holding its session's lock, at most once per attribute and save
 * attempt; it must not change {@code stored}, must be quick, and must not touch the session. An exception it throws
 * fails the save.
 *
 * @param <T> the implementing class
 */
@FunctionalInterface
public interface MergeableAttribute<T extends MergeableAttribute<T>> {

    /**
     * This value combined with the one another save stored.
     *
     * @param stored the value the session's row holds now, of this value's class; never null
     * @return the value to save (this, {@code stored}, or a new value); never null
     */
    T mergeWith(T stored);
}
