/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */

/**
 * {@link dev.syncsession.map.SyncMap}, a port of Go's {@code sync.Map} (the read/dirty design of Go 1.20&ndash;1.23),
 * and the package-private parts it is made of. Only {@code SyncMap} is public.
 *
 * <h2>How the parts map to Go's {@code map.go}</h2>
 * <table class="striped">
 *   <caption>Go's sync.Map internals and their classes here</caption>
 *   <thead><tr><th scope="col">Go</th><th scope="col">here</th><th scope="col">job</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code Map.read}, {@code readOnly}</td><td>{@code SyncMap.read}, {@code ReadOnly}</td>
 *         <td>the table searched without the lock, and whether dirty holds more</td></tr>
 *     <tr><td>{@code Map.mu}, {@code dirty}, {@code misses}</td><td>{@code Dirty}</td>
 *         <td>everything the lock guards, in its own object so the lock side's writes never share a cache line
 *             with {@code read}</td></tr>
 *     <tr><td>{@code dirtyLocked}</td><td>{@code DirtyCopy}</td>
 *         <td>the read-to-dirty copy, incremental here</td></tr>
 *     <tr><td>{@code entry}, {@code expunged}</td><td>{@code Cell}</td>
 *         <td>one key's value slot, shared by both tables</td></tr>
 *     <tr><td>Go's built-in {@code map}</td><td>{@code Table}</td>
 *         <td>the probe table: open addressing, linear probing, power-of-two lengths at most 7/16 full</td></tr>
 *     <tr><td>{@code Range}</td><td>{@code SyncMap.range}, and the views ({@code KeySetView}, {@code ValuesView},
 *         {@code EntrySetView} over {@code ViewIterator})</td><td>weakly consistent iteration</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Where it departs from Go, and why</h2>
 * <ul>
 *   <li><b>Length.</b> A {@link java.util.concurrent.atomic.LongAdder} moved on every live/absent transition of an
 *       entry gives {@code size()} in O(1) (Go has no {@code Len}, golang/go#20680).</li>
 *   <li><b>Incremental copy.</b> Go builds dirty by copying all of read under the lock at the first new key after a
 *       promotion, so one store stalls every writer for O(n) (golang/go#21032). Here the copy advances a bounded
 *       step per slow-path operation; while it runs, every operation behaves as if dirty were complete, and only
 *       promotion waits. With no deleted entries to expunge, the copy is a clone of read's slots array (arraycopy,
 *       no entry dereferenced) and the keys added meanwhile wait in a small side table.</li>
 *   <li><b>No regrowing of big dirty tables.</b> A dirty table of 65,536 slots or more that would need to regrow
 *       is promoted instead, and the next copy, sized for every key, replaces it: no O(n) rehash under the lock.</li>
 *   <li><b>Deleted keys become garbage.</b> A delete that finds its key only in dirty unlinks it (golang/go#40999);
 *       once deleted entries could make up half of read, a compaction rebuilds dirty without them and promotes.
 *       A delete that unlinks a key counts no miss (Go's does): counting it made store-then-delete loops promote
 *       and rebuild dirty on every round. A delete of a key that is nowhere still counts one, as in Go, so repeated
 *       deletes of an absent key promote and then stay lock-free.</li>
 *   <li><b>Updates promote too.</b> Go's {@code Store} and {@code Swap} of a key only in dirty take the lock and
 *       count no miss, so a key written often but read elsewhere (a session store behind a cache: saved every
 *       request, loaded almost never) stays on the locked path until something else promotes. Here such an update
 *       counts a miss, as a lookup does.</li>
 *   <li><b>A replaced read table is emptied.</b> Go leaves the old read map to the collector. Here a promotion
 *       empties the slots of the table it replaced, a bounded step per later slow-path operation: in G1 a table of
 *       more than half a region is a humongous object, which JDK 17 reclaims only after a concurrent mark, and until
 *       then it kept every entry it held (deleted ones and their keys too) alive through each young collection. A
 *       lock-free search that finds no key in a read state checks that the state is still published before it calls
 *       the key absent, and iterations pin the slots they walk, which are then never emptied.</li>
 *   <li><b>Clear allocates nothing.</b> It publishes a shared empty read state and empties a small dirty table in
 *       place, so a clear followed by a store costs one entry.</li>
 *   <li><b>Iteration helpers do not promote.</b> Go's {@code Range} promotes an amended map, and so do
 *       {@code range} and {@code forEach} here; the views' iterators, {@code toString}, {@code equals},
 *       {@code hashCode}, {@code containsValue} and {@code replaceAll} walk a copy of the dirty table's slots
 *       instead, so they cost no promotion and no rebuild after it.</li>
 *   <li><b>Exception safety.</b> Every change under the lock allocates first and publishes last, and a copy step
 *       advances its cursor per slot, so an {@link OutOfMemoryError} at any allocation leaves the map consistent
 *       ({@code AllocationFaults} lets tests fail each allocation in turn).</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * A hit in the read table: {@code hashCode}, one multiply, one volatile load of {@code read}, one hash probe (about
 * 1.1 to 1.4 slots on average at a load of 7/32 to 7/16, the first one peeled out of the loop), one volatile load of
 * the entry's value; no lock, no shared write, no allocation. A new key:
 * one probe of read, the lock, one probe of dirty, an entry and a share of the copy. A lookup or an update of a key
 * only in dirty: a second probe, in the dirty table, without the lock (under it only when a delete or clear moved
 * that table's entries during the probe), and a miss counted toward promotion on a counter of its own cache line.
 */
package dev.syncsession.map;
