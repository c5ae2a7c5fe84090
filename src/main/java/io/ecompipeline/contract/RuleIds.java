package io.ecompipeline.contract;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The stable rule ids a {@link Violation} can carry. Dead-letter records, metrics and the
 * data-quality report group by these strings, so they never change meaning once published.
 *
 * <ul>
 *   <li>{@code malformed.*}: the payload is not a JSON object at all; nothing else is checked
 *       and the field is always {@code $}.</li>
 *   <li>{@code schema.<keyword>}: a JSON Schema keyword failed, keyword in snake_case
 *       ({@code schema.required}, {@code schema.type}, {@code schema.format},
 *       {@code schema.pattern}, {@code schema.min_length}, {@code schema.additional_properties};
 *       any other keyword added to the schema appears the same way).</li>
 *   <li>{@code rule.*}: a business rule from {@code rules.yaml}; each can be switched off
 *       there.</li>
 *   <li>{@code storage.*}: well-formed JSON that PostgreSQL cannot store as it is (checked before the write, so
 *       such a record never fails its batch); reported for valid events (which then become dead letters) and,
 *       for characters, alongside the violations of invalid ones.</li>
 * </ul>
 */
public final class RuleIds {

    /** Payload is null or zero bytes, or only whitespace. */
    public static final String MALFORMED_EMPTY = "malformed.empty";
    /** Payload exceeds the configured maximum size; it is not parsed. */
    public static final String MALFORMED_OVERSIZED = "malformed.oversized";
    /** Payload is not valid UTF-8, starts with a byte order mark, or contains NUL bytes (likely UTF-16/32). */
    public static final String MALFORMED_ENCODING = "malformed.encoding";
    /** Payload is not one well-formed JSON value (syntax, trailing data, duplicate keys, too deep). */
    public static final String MALFORMED_JSON = "malformed.json";
    /** Payload is JSON but not an object (array, string, number, boolean, null). */
    public static final String MALFORMED_NOT_OBJECT = "malformed.not_object";

    /** Prefix of schema keyword failures: {@code schema.} + keyword in snake_case. */
    public static final String SCHEMA_PREFIX = "schema.";
    public static final String SCHEMA_REQUIRED = "schema.required";
    public static final String SCHEMA_TYPE = "schema.type";
    public static final String SCHEMA_FORMAT = "schema.format";
    public static final String SCHEMA_PATTERN = "schema.pattern";
    public static final String SCHEMA_MIN_LENGTH = "schema.min_length";
    public static final String SCHEMA_ADDITIONAL_PROPERTIES = "schema.additional_properties";

    /** event_type is not in {@code event_types}. */
    public static final String EVENT_TYPE_ALLOWED = "rule.event_type_allowed";
    /** event_time is later than now + {@code max_future_skew}. */
    public static final String EVENT_TIME_NOT_FUTURE = "rule.event_time_not_future";
    /** customer.country is shaped like a code but is not an ISO 3166-1 alpha-2 country. */
    public static final String COUNTRY_ISO3166 = "rule.country_iso3166";
    /** product.price is zero or negative. */
    public static final String PRICE_POSITIVE = "rule.price_positive";
    /** product.price is above {@code price_ceiling}. */
    public static final String PRICE_CEILING = "rule.price_ceiling";
    /** product.currency or transaction.currency is shaped like a code but not ISO 4217. */
    public static final String CURRENCY_ISO4217 = "rule.currency_iso4217";
    /** transaction.amount is zero or negative. */
    public static final String AMOUNT_POSITIVE = "rule.amount_positive";
    /** transaction.quantity is zero or negative. */
    public static final String QUANTITY_POSITIVE = "rule.quantity_positive";
    /** transaction.payment_status is not in {@code payment_statuses}. */
    public static final String PAYMENT_STATUS_ALLOWED = "rule.payment_status_allowed";
    /** transaction.payment_method is not in {@code payment_methods}. */
    public static final String PAYMENT_METHOD_ALLOWED = "rule.payment_method_allowed";
    /** transaction.currency differs from product.currency. */
    public static final String CURRENCY_MATCH = "rule.currency_match";
    /** transaction.amount differs from price × quantity by more than {@code amount_tolerance}. */
    public static final String AMOUNT_CONSISTENCY = "rule.amount_consistency";

    /** A string or property name holds NUL (U+0000) or an unpaired UTF-16 surrogate (U+D800..U+DFFF). */
    public static final String STORAGE_UNSUPPORTED_CHARACTER = "storage.unsupported_character";
    /**
     * A value beyond what its column holds: a number beyond jsonb's numeric range or a 32-bit quantity, a timestamp
     * outside years 1-9999 (UTC).
     */
    public static final String STORAGE_OUT_OF_RANGE = "storage.out_of_range";
    /** A value a typed column cannot take at all (event_id not a UUID, event_time not a timestamp, no event_type). */
    public static final String STORAGE_INVALID_VALUE = "storage.invalid_value";

    /** Every business rule id, in the order they are checked; the keys allowed under {@code enabled}. */
    public static final List<String> BUSINESS_RULES = List.of(
            EVENT_TYPE_ALLOWED, EVENT_TIME_NOT_FUTURE, COUNTRY_ISO3166,
            PRICE_POSITIVE, PRICE_CEILING, CURRENCY_ISO4217,
            AMOUNT_POSITIVE, QUANTITY_POSITIVE, PAYMENT_STATUS_ALLOWED, PAYMENT_METHOD_ALLOWED,
            CURRENCY_MATCH, AMOUNT_CONSISTENCY);

    private static final Set<String> BUSINESS_RULE_SET = Set.copyOf(BUSINESS_RULES);
    private static final ConcurrentMap<String, String> SCHEMA_IDS = new ConcurrentHashMap<>();

    private RuleIds() {
    }

    public static boolean isBusinessRule(String id) {
        return BUSINESS_RULE_SET.contains(id);
    }

    /** {@code schema.} + the keyword in snake_case: {@code minLength} becomes {@code schema.min_length}. */
    public static String schemaRule(String keyword) {
        return SCHEMA_IDS.computeIfAbsent(keyword == null ? "unknown" : keyword, RuleIds::toSchemaRule);
    }

    private static String toSchemaRule(String keyword) {
        StringBuilder sb = new StringBuilder(SCHEMA_PREFIX.length() + keyword.length() + 4).append(SCHEMA_PREFIX);
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c == '-' ? '_' : c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
