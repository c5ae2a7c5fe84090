package io.ecompipeline.contract;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import com.ethlo.time.ITU;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The business rules of a source other than events, declared in its rules file ({@code contract/products-rules.yaml},
 * ...) as data: each rule is a stable id ({@code rule.*}), one of a few generic checks, the field it judges and the
 * check's tunables. Read by {@link FieldRulesParser}; applied by {@link SourceContract} after the JSON Schema.
 *
 * <p>Like {@link BusinessRules}, a check only judges what is checkable: a missing value or a value of the wrong type is
 * the schema's violation, reported once, never a crash and never a second report. A check that compares two fields
 * judges only when both are there.
 *
 * @param rules the enabled rules, in file order (the order violations are reported in)
 */
public record FieldRules(List<Rule> rules) {

    private static final Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final int MAX_ECHO = 64;

    public FieldRules {
        rules = List.copyOf(rules);
    }

    /** The generic checks a rules file can use, by the name it uses for them. */
    public enum Check {
        /** The number is greater than 0. */
        POSITIVE("positive"),
        /** The number is 0 or more. */
        NON_NEGATIVE("non_negative"),
        /** The number is at most {@code limit} (inclusive). */
        AT_MOST("at_most"),
        /** The number is not greater than the number in field {@code other}. */
        NOT_ABOVE_FIELD("not_above_field"),
        /** The date or time is not before the date or time in field {@code other}. */
        NOT_BEFORE_FIELD("not_before_field"),
        /** The text is one of {@code values}. */
        ONE_OF("one_of"),
        /** A three-letter code that is an ISO 4217 currency. */
        ISO4217("iso4217"),
        /** The date or time is not later than now + {@code max_skew}. */
        NOT_FUTURE("not_future");

        private final String key;

        Check(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        static Check of(String key) {
            for (Check c : values()) {
                if (c.key.equals(key)) {
                    return c;
                }
            }
            return null;
        }

        static String names() {
            return java.util.Arrays.stream(values()).map(Check::key).collect(Collectors.joining(", "));
        }
    }

    /**
     * One declared rule.
     *
     * @param id     the rule id violations carry ({@code rule.price_positive})
     * @param check  what is checked
     * @param field  dot path of the judged value ({@code price}, {@code rating.rate})
     * @param other  the compared field ({@link Check#NOT_ABOVE_FIELD}, {@link Check#NOT_BEFORE_FIELD}), else null
     * @param limit  the ceiling of {@link Check#AT_MOST}, else null
     * @param values the allowed texts of {@link Check#ONE_OF}, else empty
     * @param skew   the allowed skew of {@link Check#NOT_FUTURE}, else null
     */
    public record Rule(String id, Check check, String field, String other, BigDecimal limit, Set<String> values,
                       Duration skew) {

        public Rule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(field, "field");
            values = values == null ? Set.of() : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(values));
        }
    }

    /** The ids of the rules, in order. */
    public List<String> ids() {
        return rules.stream().map(Rule::id).toList();
    }

    /** Appends the violations of {@code record} (a JSON object) to {@code out}. */
    public void check(JsonNode record, Clock clock, List<Violation> out) {
        for (Rule rule : rules) {
            JsonNode value = at(record, rule.field());
            if (value == null) {
                continue;
            }
            String problem = switch (rule.check()) {
                case POSITIVE -> value.isNumber() && !(value.doubleValue() > 0)
                        ? rule.field() + " must be > 0, got " + plain(value) : null;
                case NON_NEGATIVE -> value.isNumber() && value.doubleValue() < 0
                        ? rule.field() + " must be >= 0, got " + plain(value) : null;
                case AT_MOST -> value.isNumber() && value.decimalValue().compareTo(rule.limit()) > 0
                        ? rule.field() + " " + plain(value) + " exceeds the ceiling " + rule.limit().toPlainString() : null;
                case NOT_ABOVE_FIELD -> notAbove(value, at(record, rule.other()), rule);
                case NOT_BEFORE_FIELD -> notBefore(value, at(record, rule.other()), rule);
                case ONE_OF -> value.isTextual() && !rule.values().contains(value.textValue())
                        ? rule.field() + " " + echo(value) + " is not one of [" + String.join(", ", rule.values()) + "]" : null;
                case ISO4217 -> isCode(value, 3) && !ISO_4217.contains(value.textValue())
                        ? rule.field() + " " + echo(value) + " is not an ISO 4217 code" : null;
                case NOT_FUTURE -> notFuture(value, clock, rule);
            };
            if (problem != null) {
                out.add(new Violation(rule.id(), rule.field(), problem));
            }
        }
    }

    /** Checks {@code record} and returns its violations; empty if none. */
    public List<Violation> check(JsonNode record, Clock clock) {
        List<Violation> out = new ArrayList<>();
        check(record, clock, out);
        return out;
    }

    private static String notAbove(JsonNode value, JsonNode other, Rule rule) {
        if (other == null || !value.isNumber() || !other.isNumber()) {
            return null;
        }
        return value.decimalValue().compareTo(other.decimalValue()) > 0
                ? rule.field() + " " + plain(value) + " is above " + rule.other() + " " + plain(other) : null;
    }

    private static String notBefore(JsonNode value, JsonNode other, Rule rule) {
        Instant a = instant(value);
        Instant b = instant(other);
        if (a == null || b == null) {
            return null;
        }
        return a.isBefore(b) ? rule.field() + " " + value.textValue() + " is before " + rule.other() + " " + other.textValue() : null;
    }

    private static String notFuture(JsonNode value, Clock clock, Rule rule) {
        Instant at = instant(value);
        if (at == null) {
            return null;
        }
        Instant now = clock.instant();
        return at.isAfter(now.plus(rule.skew()))
                ? rule.field() + " " + value.textValue() + " is more than " + rule.skew() + " ahead of processing time " + now : null;
    }

    /** An RFC 3339 date-time, or a date (its start, UTC); null for anything else (the schema reports it). */
    static Instant instant(JsonNode n) {
        if (n == null || !n.isTextual()) {
            return null;
        }
        String text = n.textValue();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            // the same RFC 3339 parser networknt uses for format date-time, so both agree on the syntax
            return ITU.parseDateTime(text).toInstant();
        } catch (DateTimeException notADateOrTime) {
            return null;
        }
    }

    /** The value at a dot path, or null when any step is missing or not an object. JSON null counts as missing. */
    static JsonNode at(JsonNode record, String path) {
        if (path == null) {
            return null;
        }
        JsonNode node = record;
        int start = 0;
        while (node != null) {
            int dot = path.indexOf('.', start);
            String name = dot < 0 ? path.substring(start) : path.substring(start, dot);
            node = node.isObject() ? node.get(name) : null;
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return node == null || node.isNull() ? null : node;
    }

    /** A string of exactly {@code length} ASCII upper-case letters: the shape the schemas' patterns enforce. */
    private static boolean isCode(JsonNode n, int length) {
        if (!n.isTextual() || n.textValue().length() != length) {
            return false;
        }
        for (char c : n.textValue().toCharArray()) {
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static String plain(JsonNode number) {
        if (number.isFloatingPointNumber() && !Double.isFinite(number.doubleValue())) {
            return String.valueOf(number.doubleValue());
        }
        return number.isIntegralNumber() ? number.bigIntegerValue().toString()
                : BigDecimal.valueOf(number.doubleValue()).stripTrailingZeros().toPlainString();
    }

    /** Quotes a producer-supplied string for a message, bounded so a huge value cannot bloat the dead-letter record. */
    private static String echo(JsonNode text) {
        String s = text.textValue();
        return "'" + (s.length() > MAX_ECHO ? s.substring(0, MAX_ECHO) + "..." : s) + "'";
    }

    @Override
    public String toString() {
        return "FieldRules" + ids();
    }
}
