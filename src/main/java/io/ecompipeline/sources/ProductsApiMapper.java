package io.ecompipeline.sources;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ecompipeline.persist.SourceRecord;

/**
 * Maps one item of the products API (Fake Store style: {@code {"id": 1, "title": ..., "price": 109.95, "category": ...,
 * "rating": {"rate": 3.9, "count": 120}}}, plus {@code cost} and {@code currency} when the API has them) to a record of
 * the products contract, so it is validated and stored exactly like a record of the products topic. The mapping only
 * renames and copies: whatever is wrong with an item (no id, a price as text, not an object at all) stays wrong and the
 * contract reports it, so the item becomes a dead letter with a clear reason.
 *
 * <p>The record's origin is {@code api:products}, partition 0, and as offset a 63-bit hash of the item as the API sent
 * it: a broken item polled again is the same dead letter, not a new one per poll.
 */
public final class ProductsApiMapper {

    /** The origin "topic" of records polled from the products API. */
    public static final String ORIGIN = "api:products";

    private final ObjectMapper json;
    private final String idPrefix;
    private final String defaultCurrency;

    public ProductsApiMapper(ObjectMapper json, String idPrefix, String defaultCurrency) {
        this.json = json;
        this.idPrefix = idPrefix;
        this.defaultCurrency = defaultCurrency;
    }

    /** The record of one API item, stamped with the poll's time as {@code updated_at}. */
    public SourceRecord map(JsonNode item, Instant polledAt) {
        byte[] asSent = bytes(item);
        long offset = hash(asSent);
        if (!item.isObject()) {
            return new SourceRecord(ORIGIN, 0, offset, asSent); // the contract reports malformed.not_object
        }
        ObjectNode record = json.createObjectNode();
        JsonNode id = item.get("id");
        if (id != null && (id.isTextual() || id.isIntegralNumber())) {
            record.put("product_id", idPrefix + id.asText());
        } else if (id != null) {
            record.set("product_id", id); // schema.type names it
        }
        copy(item, "title", record, "title");
        copy(item, "category", record, "category");
        copy(item, "price", record, "price");
        copy(item, "cost", record, "cost");
        if (item.has("currency")) {
            copy(item, "currency", record, "currency");
        } else {
            record.put("currency", defaultCurrency);
        }
        JsonNode rating = item.get("rating");
        if (rating != null && rating.isObject()) {
            copy(rating, "rate", record, "rating");
            copy(rating, "count", record, "rating_count");
        } else if (rating != null) {
            record.set("rating", rating);
        }
        record.put("updated_at", polledAt.toString());
        return new SourceRecord(ORIGIN, 0, offset, bytes(record));
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode value = from.get(name);
        if (value != null) {
            to.set(as, value);
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an API item", e);
        }
    }

    /** The first 63 bits of the item's SHA-256: equal items, equal origin. */
    static long hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
