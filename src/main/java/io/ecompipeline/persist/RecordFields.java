package io.ecompipeline.persist;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.contract.RuleIds;
import io.ecompipeline.contract.Violation;

/**
 * Column values of a contract-valid record, as the text COPY sends, and the storage checks every row type shares: the
 * contract accepts a few things PostgreSQL cannot store (a {@code \u0000} in text or jsonb, a time it cannot parse),
 * which make the record a dead letter instead of failing its batch.
 */
final class RecordFields {

    private RecordFields() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isNumber()) {
            return null;
        }
        return value.isIntegralNumber() ? value.bigIntegerValue().toString() : value.decimalValue().toPlainString();
    }

    /** A whole number that fits an {@code integer} column; a problem is added when it does not. */
    static String integer(JsonNode node, String field, List<Violation> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isNumber()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            problems.add(new Violation(RuleIds.STORAGE_INVALID_VALUE, field, field + " does not fit a 32-bit integer"));
            return null;
        }
        return String.valueOf(value.intValue());
    }

    /** An RFC 3339 time as UTC text; a problem is added when there is one that is not, or one PostgreSQL cannot store. */
    static String timestamp(JsonNode node, String field, List<Violation> problems) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        Instant at = RawEventRow.storableInstant(field, text, problems);
        return at == null ? null : at.toString();
    }

    /** An ISO date ({@code 2026-11-21}); a problem is added when there is one that is not. */
    static String date(JsonNode node, String field, List<Violation> problems) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text).toString();
        } catch (DateTimeParseException e) {
            problems.add(new Violation(RuleIds.STORAGE_INVALID_VALUE, field, field + " is not an ISO date"));
            return null;
        }
    }

    /** What PostgreSQL cannot store in the payload (NUL, unpaired surrogates, numbers beyond numeric): {@link StorageRules}. */
    static void checkStorable(JsonNode record, SourceRecord origin, List<Violation> problems) {
        problems.addAll(StorageRules.check(record, origin.value()));
    }

    static void throwIfAny(List<Violation> problems) throws UnstorableEventException {
        if (!problems.isEmpty()) {
            throw new UnstorableEventException(problems);
        }
    }
}
