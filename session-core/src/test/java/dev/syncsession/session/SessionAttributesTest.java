package dev.syncsession.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SessionAttributesTest {

    record Cart(List<String> items) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    static final class NotSerializableThing {
    }

    @Test
    void sharedAttributesAreAnImmutableCopyThatSharesValues() {
        List<String> items = new ArrayList<>(List.of("apple"));
        Map<String, Object> source = new HashMap<>(Map.of("items", items));
        SessionAttributes attributes = AttributeStorage.BY_REFERENCE.of(source);
        source.put("other", "x");

        Map<String, Object> map = attributes.toMap();
        assertEquals(1, attributes.size());
        assertSame(items, map.get("items"));
        assertThrows(UnsupportedOperationException.class, () -> map.put("x", "y"));
    }

    /** Kept as pairs up to 8 attributes, as a map beyond: either way an immutable map equal to the source, in order. */
    @Test
    void byReferenceAttributesAreAnImmutableMapInTheSourcesOrderAtEverySize() {
        for (int n : new int[] {1, 3, ReferenceAttributes.MAX_PAIRS, ReferenceAttributes.MAX_PAIRS + 1, 40}) {
            Map<String, Object> source = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                source.put("attribute-" + (n - i), i);
            }
            SessionAttributes attributes = AttributeStorage.BY_REFERENCE.of(source);
            Map<String, Object> map = attributes.toMap();
            assertEquals(source, map, n + " attributes");
            assertEquals(source.hashCode(), map.hashCode());
            assertEquals(n, attributes.size());
            assertEquals(n - 1, map.get("attribute-1"));
            assertTrue(map.containsKey("attribute-" + n));
            assertEquals(null, map.get("absent"));
            assertEquals(List.copyOf(source.keySet()), List.copyOf(map.keySet()), "order, " + n + " attributes");
            assertThrows(UnsupportedOperationException.class, () -> map.put("x", 1));
            assertThrows(UnsupportedOperationException.class, () -> map.remove("attribute-1"));
            assertThrows(UnsupportedOperationException.class, () -> map.entrySet().iterator().next().setValue(2));
            java.util.Iterator<String> names = map.keySet().iterator();
            names.next();
            assertThrows(UnsupportedOperationException.class, names::remove);
            assertEquals(source, AttributeStorage.SERIALIZED.of(map).toMap(), "serializes like any map");
        }
    }

    @Test
    void serializedAttributesIsolateValuesAndWeighTheirExactBytes() {
        List<String> items = new ArrayList<>(List.of("apple"));
        SerializedAttributes attributes = (SerializedAttributes) AttributeStorage.SERIALIZED.of(Map.of("items", items));
        items.add("pear");

        Map<String, Object> first = attributes.toMap();
        assertEquals(List.of("apple"), first.get("items"));
        assertNotSame(first.get("items"), attributes.toMap().get("items"));
        assertEquals(attributes.bytes().length, attributes.weightBytes());
        assertThrows(UnsupportedOperationException.class, () -> first.put("x", "y"));
    }

    @Test
    void serializingAValueThatIsNotSerializableNamesTheAttributeAndClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttributeStorage.SERIALIZED.of(Map.of("thing", new NotSerializableThing())));
        assertTrue(e.getMessage().contains("attribute 'thing'"), e.getMessage());
        assertTrue(e.getMessage().contains(NotSerializableThing.class.getName()), e.getMessage());
    }

    @Test
    void nullValuesAreRejected() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThrows(NullPointerException.class, () -> AttributeStorage.BY_REFERENCE.of(withNull));
        assertThrows(NullPointerException.class, () -> AttributeStorage.SERIALIZED.of(withNull));
    }

    @Test
    void attributesThatCannotBeDeserializedAreUnreadableNotAbsent() {
        SessionStore store = new SyncMapSessionStore();
        SessionKey key = SessionScope.ROOT.key("a");
        store.save(SessionRecord.builder(key)
                .attributes(AttributeStorage.SERIALIZED.of(Map.of("cart", new Cart(List.of("apple"))))).build());

        SessionRecord loaded = store.load(key);
        assertNotNull(loaded, "the record exists");
        ClassLoader withoutTestClasses = new ClassLoader(null) { };
        UnreadableSessionException e = assertThrows(UnreadableSessionException.class,
                () -> loaded.attributes().toMap(withoutTestClasses));
        assertEquals("cart", e.attributeName());
        assertTrue(e.getMessage().contains(Cart.class.getName()), e.getMessage());
    }

    @Test
    void theCallersClassLoaderResolvesAttributeClasses() {
        SessionAttributes attributes = AttributeStorage.SERIALIZED.of(Map.of("cart", new Cart(List.of("apple"))));
        List<String> asked = new CopyOnWriteArrayList<>();
        ClassLoader webApp = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                asked.add(name);
                return super.loadClass(name, resolve);
            }
        };
        assertEquals(new Cart(List.of("apple")), attributes.toMap(webApp).get("cart"));
        assertTrue(asked.contains(Cart.class.getName()), asked.toString());
    }
}
