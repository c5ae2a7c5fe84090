package io.ecompipeline.persist;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.ethlo.time.ITU;
import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.contract.RuleIds;
import io.ecompipeline.contract.Violation;

/**
 * The columns of one {@code raw.events} row, taken from a contract-valid event. It also catches everything the
 * contract allows but PostgreSQL cannot store ({@link StorageRules}: NUL and unpaired surrogates anywhere, numbers
 * beyond jsonb's range; here: a quantity beyond integer, an amount or price beyond a double, a timestamp outside
 * the years 1-9999), so such an event becomes a dead letter instead of failing its whole batch.
 */
public record RawEventRow(
        UUID eventId, String eventType, String eventTime, String source, String sessionId,
        String customerId, String customerEmail, String customerCountry, String customerTier,
        String productId, String productName, String productCategory, String productPrice, String productCurrency,
        String transactionId, String amount, String quantity, String currency, String paymentMethod,
        String paymentStatus, SourceRecord origin) {

    /** The first instant written with a 4-digit year: PostgreSQL has no year 0 ... */
    private static final Instant FIRST_STORED = Instant.parse("0001-01-01T00:00:00Z");
    /** ... and a 5-digit year would need a sign PostgreSQL does not read. */
    private static final Instant AFTER_LAST_STORED = Instant.parse("+10000-01-01T00:00:00Z");

    /** The record's JSON text (decoded on demand: the writer sends the raw UTF-8 bytes). */
    public String payload() {
        return new String(origin.value(), StandardCharsets.UTF_8);
    }

    public static RawEventRow of(JsonNode event, SourceRecord origin) throws UnstorableEventException {
        List<Violation> problems = new ArrayList<>(StorageRules.check(event, origin.value()));
        UUID id = null;
        try {
            id = UUID.fromString(text(event, "event_id"));
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(new Violation(RuleIds.STORAGE_INVALID_VALUE, "event_id", "event_id is not a UUID"));
        }
        if (text(event, "event_type") == null) {
            problems.add(new Violation(RuleIds.STORAGE_INVALID_VALUE, "event_type", "event_type is required by raw.events"));
        }
        Instant at = storableInstant("event_time", text(event, "event_time"), problems);
        String eventTime = at == null ? null : ITU.formatUtcNano(at.atOffset(ZoneOffset.UTC));
        JsonNode customer = event.path("customer");
        JsonNode product = event.path("product");
        JsonNode tx = event.path("transaction");
        String quantity = integer(tx.get("quantity"));
        if (quantity == null && isNumber(tx.get("quantity"))) {
            problems.add(new Violation(RuleIds.STORAGE_OUT_OF_RANGE, "transaction.quantity",
                    "quantity " + tx.get("quantity").asText() + " is not a 32-bit integer"));
        }
        String price = number(product.get("price"));
        if (price == null && isNumber(product.get("price"))) {
            problems.add(beyondDouble("product.price"));
        }
        String amount = number(tx.get("amount"));
        if (amount == null && isNumber(tx.get("amount"))) {
            problems.add(beyondDouble("transaction.amount"));
        }
        if (!problems.isEmpty()) {
            throw new UnstorableEventException(problems);
        }
        return new RawEventRow(id, text(event, "event_type"), eventTime, text(event, "source"), text(event, "session_id"),
                text(customer, "customer_id"), text(customer, "email"), text(customer, "country"), text(customer, "tier"),
                text(product, "product_id"), text(product, "name"), text(product, "category"), price,
                text(product, "currency"),
                text(tx, "transaction_id"), amount, quantity, text(tx, "currency"),
                text(tx, "payment_method"), text(tx, "payment_status"), origin);
    }

    /**
     * The instant of {@code text} when PostgreSQL can store it (timestamptz: the years 0001-9999); otherwise null, with
     * the problem added: not an RFC 3339 timestamp, or out of that range. The one time check of every row type.
     */
    static Instant storableInstant(String field, String text, List<Violation> problems) {
        Instant at = instant(text);
        if (at == null) {
            problems.add(new Violation(RuleIds.STORAGE_INVALID_VALUE, field, field + " is not an RFC 3339 timestamp"));
            return null;
        }
        if (at.isBefore(FIRST_STORED) || !at.isBefore(AFTER_LAST_STORED)) {
            problems.add(new Violation(RuleIds.STORAGE_OUT_OF_RANGE, field,
                    field + " is " + at + " in UTC, outside the years 0001-9999 stored"));
            return null;
        }
        return at;
    }

    /**
     * The event time as an instant, or null if it is not an RFC 3339 timestamp. The fast RFC 3339 parser (the one
     * the schema's date-time format uses) handles the usual {@code 2026-11-21T10:15:30.123Z}; anything it does not
     * accept, or that uses a space instead of {@code T}, goes through {@link OffsetDateTime#parse} as always, so
     * what is accepted has not changed.
     */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > 10 && (text.charAt(10) == 'T' || text.charAt(10) == 't')) {
            try {
                return ITU.parseDateTime(text).toInstant();
            } catch (DateTimeException notForTheFastPath) {
                // fall through to the general parser
            }
        }
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Violation beyondDouble(String field) {
        return new Violation(RuleIds.STORAGE_OUT_OF_RANGE, field,
                field + " is beyond the range of a double (about 1.8e308), which it is read as");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static boolean isNumber(JsonNode value) {
        return value != null && value.isNumber();
    }

    /** The number as written for a numeric column; null when absent, not a number, or an infinite double. */
    private static String number(JsonNode value) {
        if (!isNumber(value)) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            return null;
        }
        return value.decimalValue().toPlainString();
    }

    /** The number for an integer column (2.0 is 2); null when absent, not a number, fractional or beyond 32 bits. */
    private static String integer(JsonNode value) {
        if (!isNumber(value)) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToInt() ? String.valueOf(value.intValue()) : null;
        }
        double d = value.doubleValue();
        return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? String.valueOf((int) d) : null;
    }
}
