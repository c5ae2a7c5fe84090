package io.ecompipeline.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Example events from {@code src/test/resources/events}, editable by dot path, and the fixed test clock. */
final class TestEvents {

    /** "Now" for every test: 4.5 minutes after the examples' event_time. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:20:00Z"), ZoneOffset.UTC);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestEvents() {
    }

    static Event pageView() {
        return load("page_view");
    }

    static Event addToCart() {
        return load("add_to_cart");
    }

    static Event purchase() {
        return load("purchase");
    }

    static Event refund() {
        return load("refund");
    }

    static Event load(String name) {
        try (InputStream in = TestEvents.class.getResourceAsStream("/events/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no example event " + name);
            }
            return new Event((ObjectNode) MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mutable copy of an example event. */
    static final class Event {
        private final ObjectNode root;

        private Event(ObjectNode root) {
            this.root = root;
        }

        /** Sets {@code path} (e.g. {@code transaction.amount}) to a String, Number, Boolean, null or JsonNode. */
        Event set(String path, Object value) {
            int dot = path.lastIndexOf('.');
            parent(path, dot).set(path.substring(dot + 1), MAPPER.valueToTree(value));
            return this;
        }

        Event remove(String path) {
            int dot = path.lastIndexOf('.');
            parent(path, dot).remove(path.substring(dot + 1));
            return this;
        }

        private ObjectNode parent(String path, int dot) {
            if (dot < 0) {
                return root;
            }
            JsonNode parent = root.at("/" + path.substring(0, dot).replace('.', '/'));
            if (!parent.isObject()) {
                throw new IllegalArgumentException("no object at " + path.substring(0, dot));
            }
            return (ObjectNode) parent;
        }

        /** The value at {@code path}, e.g. {@code product}. */
        JsonNode node(String path) {
            return root.at("/" + path.replace('.', '/')).deepCopy();
        }

        String json() {
            return root.toString();
        }

        byte[] bytes() {
            return json().getBytes(StandardCharsets.UTF_8);
        }
    }
}
