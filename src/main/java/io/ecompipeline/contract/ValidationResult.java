package io.ecompipeline.contract;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The verdict on one payload: every violation found (schema and business rules together, not
 * just the first), plus the parsed event so later steps never parse the bytes again.
 *
 * <p>Immutable except for {@link #event()}: the tree is handed over as parsed, without a
 * defensive copy (that would cost a second parse on the hot path); callers must not mutate it.
 */
public final class ValidationResult {

    private final JsonNode event;
    private final String eventId;
    private final List<Violation> violations;

    private ValidationResult(JsonNode event, String eventId, List<Violation> violations) {
        this.event = event;
        this.eventId = eventId;
        this.violations = List.copyOf(violations);
    }

    /** Result for a payload that could not be parsed into a JSON object. */
    static ValidationResult malformed(Violation violation) {
        return new ValidationResult(null, null, List.of(violation));
    }

    /** Result for a parsed object; {@code violations} may be empty. */
    static ValidationResult of(JsonNode event, List<Violation> violations) {
        return of(event, violations, "event_id");
    }

    /** Result for a parsed record whose id is the text of {@code idField} (e.g. {@code product_id}). */
    static ValidationResult of(JsonNode record, List<Violation> violations, String idField) {
        JsonNode id = record.get(idField);
        return new ValidationResult(record, id != null && id.isTextual() ? id.textValue() : null, violations);
    }

    /** True when there is no violation at all. */
    public boolean valid() {
        return violations.isEmpty();
    }

    /** All violations, schema ones first, then business rules; empty when valid. */
    public List<Violation> violations() {
        return violations;
    }

    /** The parsed JSON object, also when invalid; null when the payload was not a JSON object. */
    public JsonNode event() {
        return event;
    }

    /**
     * The record's id if the object has one (even when invalid): {@code event_id} for events, the id field of the
     * source for the other contracts ({@link SourceContract}); null otherwise.
     */
    public String eventId() {
        return eventId;
    }

    @Override
    public String toString() {
        return "ValidationResult{valid=" + valid() + ", eventId=" + eventId + ", violations=" + violations + '}';
    }
}
