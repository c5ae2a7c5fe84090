package io.ecompipeline.persist;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.ethlo.time.ITU;
import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.contract.Violation;

/**
 * The columns of one {@code raw.events} row, taken from a contract-valid event. It also catches the few things the
 * contract allows but PostgreSQL cannot store (NUL characters, a quantity beyond integer), so such an event becomes
 * a dead letter instead of failing its whole batch.
 */
public record RawEventRow(
        UUID eventId, String eventType, String eventTime, String source, String sessionId,
        String customerId, String customerEmail, String customerCountry, String customerTier,
        String productId, String productName, String productCategory, String productPrice, String productCurrency,
        String transactionId, String amount, String quantity, String currency, String paymentMethod,
        String paymentStatus, SourceRecord origin) {

    /** The record's JSON text (decoded on demand: the writer sends the raw UTF-8 bytes). */
    public String payload() {
        return new String(origin.value(), StandardCharsets.UTF_8);
    }

    public static RawEventRow of(JsonNode event, SourceRecord origin) throws UnstorableEventException {
        List<Violation> problems = new ArrayList<>(0);
        if (containsNulEscape(origin.value())) {
            problems.add(new Violation("storage.unsupported_character", "$",
                    "text contains \\u0000, which PostgreSQL cannot store in text or jsonb"));
        }
        UUID id = null;
        try {
            id = UUID.fromString(text(event, "event_id"));
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.add(new Violation("storage.invalid_value", "event_id", "event_id is not a UUID"));
        }
        String eventTime = utcTimestamp(text(event, "event_time"));
        if (eventTime == null) {
            problems.add(new Violation("storage.invalid_value", "event_time", "event_time is not an RFC 3339 timestamp"));
        }
        JsonNode customer = event.path("customer");
        JsonNode product = event.path("product");
        JsonNode tx = event.path("transaction");
        JsonNode quantity = tx.path("quantity");
        if (!quantity.isMissingNode() && !quantity.isNull() && !quantity.canConvertToInt()) {
            problems.add(new Violation("storage.invalid_value", "transaction.quantity", "quantity does not fit a 32-bit integer"));
        }
        if (!problems.isEmpty()) {
            throw new UnstorableEventException(problems);
        }
        return new RawEventRow(id, text(event, "event_type"), eventTime, text(event, "source"), text(event, "session_id"),
                text(customer, "customer_id"), text(customer, "email"), text(customer, "country"), text(customer, "tier"),
                text(product, "product_id"), text(product, "name"), text(product, "category"), number(product, "price"),
                text(product, "currency"),
                text(tx, "transaction_id"), number(tx, "amount"), number(tx, "quantity"), text(tx, "currency"),
                text(tx, "payment_method"), text(tx, "payment_status"), origin);
    }

    /**
     * The event time as a UTC timestamp for PostgreSQL, or null if it is not one. The fast RFC 3339 parser (the one
     * the schema's date-time format uses) handles the usual {@code 2026-11-21T10:15:30.123Z}; anything it does not
     * accept, or that uses a space instead of {@code T}, goes through {@link OffsetDateTime#parse} as always, so
     * what is accepted has not changed.
     */
    static String utcTimestamp(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > 10 && (text.charAt(10) == 'T' || text.charAt(10) == 't')) {
            try {
                return ITU.formatUtcNano(ITU.parseDateTime(text));
            } catch (DateTimeException notForTheFastPath) {
                // fall through to the general parser
            }
        }
        try {
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant().toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isNumber()) {
            return null;
        }
        return value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.decimalValue().toPlainString();
    }

    /** True when the JSON text has a {@code \u0000} escape (an escaped backslash before "u0000" does not count). */
    static boolean containsNulEscape(byte[] json) {
        if (json == null) {
            return false;
        }
        for (int i = 0, n = json.length - 1; i < n; i++) {
            if (json[i] == '\\') {
                if (json[i + 1] == 'u' && i + 5 < json.length && json[i + 2] == '0' && json[i + 3] == '0'
                        && json[i + 4] == '0' && json[i + 5] == '0') {
                    return true;
                }
                i++; // skip the escaped character
            }
        }
        return false;
    }
}
