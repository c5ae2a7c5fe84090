package io.ecompipeline.persist;

import java.util.ArrayList;
import java.util.List;

import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.contract.Violation;

/**
 * Where a validated record goes, decided before anything is written (live ingest and redelivery alike): a
 * {@code raw.events} row, or a dead letter with every reason, the {@code storage.*} ones included, and the event id
 * when PostgreSQL can store it.
 *
 * @param row     the row, or null for a dead letter
 * @param reasons why it is a dead letter (empty for a row)
 * @param eventId the event id as found in the payload, null when absent or not storable as text
 */
public record Placement(RawEventRow row, List<Violation> reasons, String eventId) {

    public static Placement of(ValidationResult result, SourceRecord record) {
        if (result.valid()) {
            try {
                return new Placement(RawEventRow.of(result.event(), record), List.of(), result.eventId());
            } catch (UnstorableEventException e) {
                return new Placement(null, e.violations(), StorageRules.storableOrNull(result.eventId()));
            }
        }
        List<Violation> reasons = result.violations();
        if (result.event() != null) {
            // an invalid event may also hold what PostgreSQL refuses: say so (it explains a missing event id, and it
            // will still be refused once a rule change makes the rest valid)
            List<Violation> storage = StorageRules.check(result.event(), record.value());
            if (!storage.isEmpty()) {
                reasons = new ArrayList<>(reasons);
                reasons.addAll(storage);
            }
        }
        return new Placement(null, reasons, StorageRules.storableOrNull(result.eventId()));
    }

    public boolean isRow() {
        return row != null;
    }
}
