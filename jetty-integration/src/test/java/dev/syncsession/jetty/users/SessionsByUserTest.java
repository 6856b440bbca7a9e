/*
 * Copyright 2026 the syncsession authors.
 * Licensed under the Apache License, Version 2.0; see the LICENSE file.
 */
package dev.syncsession.jetty.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The index's compact id lists (one id, or an array) against a plain model, over random puts and removes. */
class SessionsByUserTest {

    @Test
    void aPrincipalsIdsFollowEveryPutAndRemove() {
        SessionsByUser index = new SessionsByUser();
        index.put("a", "ada");
        index.put("b", "ada");
        index.put("c", "ada");
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(index.idsOf("ada")));
        index.remove("b");
        assertEquals(Set.of("a", "c"), Set.copyOf(index.idsOf("ada")));
        index.put("a", "bob"); // a signs in as someone else
        assertEquals(List.of("c"), index.idsOf("ada"));
        assertEquals(List.of("a"), index.idsOf("bob"));
        index.put("a", "bob"); // again: no duplicate
        assertEquals(List.of("a"), index.idsOf("bob"));
        index.remove("c");
        assertEquals(List.of(), index.idsOf("ada"));
        assertEquals(List.of("bob"), index.principals());
        assertNull(index.userOf("c"));
        assertEquals(1, index.size());
    }

    @Test
    void randomPutsAndRemovesMatchAModel() {
        SplittableRandom random = new SplittableRandom(16);
        SessionsByUser index = new SessionsByUser();
        Map<String, String> model = new HashMap<>();
        for (int step = 0; step < 20_000; step++) {
            String id = "s" + random.nextInt(40);
            String principal = random.nextInt(4) == 0 ? null : "u" + random.nextInt(5);
            index.put(id, principal);
            if (principal == null) {
                model.remove(id);
            } else {
                model.put(id, principal);
            }
            for (int u = 0; u < 5; u++) {
                String user = "u" + u;
                Set<String> expected = new HashSet<>();
                model.forEach((i, p) -> {
                    if (p.equals(user)) {
                        expected.add(i);
                    }
                });
                List<String> ids = new ArrayList<>(index.idsOf(user));
                assertEquals(expected.size(), ids.size(), "no duplicates, step " + step);
                assertEquals(expected, Set.copyOf(ids), "step " + step);
            }
            assertEquals(model.size(), index.size());
        }
    }
}
