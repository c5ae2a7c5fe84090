package io.ecompipeline.contract;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Turns raw record bytes into exactly one parsed JSON object, or into the single
 * {@code malformed.*} violation that explains why not. The checks run cheapest first (size,
 * encoding, syntax, shape) and nothing is parsed twice. Thread-safe.
 */
final class PayloadParser {

    /**
     * Deepest nesting accepted. The canonical event is 2 levels deep; 64 leaves plenty of room
     * for extra top-level blocks while stopping pathological inputs early.
     */
    static final int MAX_NESTING_DEPTH = 64;

    private static final Pattern SOURCE_NOISE = Pattern.compile("\\s*\\(?(start marker )?at \\[Source:.*?\\]\\)?", Pattern.DOTALL);
    private static final int MAX_MESSAGE = 200;

    private final long maxBytes;
    private final ObjectReader reader;

    PayloadParser(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be > 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        // {"amount":1,"amount":1000}: the validator and PostgreSQL (last one wins) must never disagree, so duplicate
        // keys are refused. The tree builder notices them for free (ObjectNode.replace returns the earlier value);
        // the parser's STRICT_DUPLICATE_DETECTION would keep a HashSet of names per object on top of the tree's own map.
        this.reader = new ObjectMapper(factory).reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /** Either {@code object} (a JSON object) or {@code violation} is set. */
    record Parsed(JsonNode object, Violation violation) {
    }

    Parsed parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return fail(RuleIds.MALFORMED_EMPTY, "payload is empty");
        }
        if (payload.length > maxBytes) {
            return fail(RuleIds.MALFORMED_OVERSIZED, "payload of " + payload.length + " bytes exceeds the limit of " + maxBytes);
        }
        if (payload.length >= 3 && payload[0] == (byte) 0xEF && payload[1] == (byte) 0xBB && payload[2] == (byte) 0xBF) {
            // RFC 8259 8.1: senders must not add one, and strict consumers of the raw bytes (PostgreSQL json/jsonb) reject it
            return fail(RuleIds.MALFORMED_ENCODING, "payload starts with a UTF-8 byte order mark");
        }
        int bad = Utf8Validator.firstInvalid(payload);
        if (bad >= 0) {
            return fail(RuleIds.MALFORMED_ENCODING, payload[bad] == 0
                    ? "NUL byte at offset " + bad + " (UTF-16/UTF-32 payload?); expected UTF-8"
                    : String.format("invalid UTF-8 byte 0x%02X at offset %d", payload[bad] & 0xFF, bad));
        }
        JsonNode node;
        try {
            node = reader.readTree(payload);
        } catch (JsonProcessingException e) {
            return fail(RuleIds.MALFORMED_JSON, describe(e));
        } catch (IOException e) { // not expected from a byte array; still a parse failure, never a crash
            return fail(RuleIds.MALFORMED_JSON, String.valueOf(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return fail(RuleIds.MALFORMED_EMPTY, "payload contains only whitespace");
        }
        if (!node.isObject()) {
            return fail(RuleIds.MALFORMED_NOT_OBJECT, "expected a JSON object, got " + kind(node));
        }
        return new Parsed(node, null);
    }

    private static Parsed fail(String rule, String message) {
        return new Parsed(null, new Violation(rule, "$", message));
    }

    /** Jackson's message without its source-description noise, plus line and column. */
    private static String describe(JsonProcessingException e) {
        String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        msg = SOURCE_NOISE.matcher(msg).replaceAll("");
        int nl = msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        if (msg.length() > MAX_MESSAGE) {
            msg = msg.substring(0, MAX_MESSAGE) + "...";
        }
        JsonLocation loc = e.getLocation();
        return loc == null || loc.getLineNr() < 0 ? msg
                : msg + " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
