package io.ecompipeline.generate;

/**
 * One synthetic record and what the pipeline should make of it.
 *
 * @param kind     {@code valid}, or the defect that was injected (e.g. {@code bad_payment_status}, {@code truncated_json})
 * @param rule     the violation rule the defect must produce (null for valid records)
 * @param late     the event time lies beyond the lateness threshold
 */
public record GeneratedEvent(String eventId, byte[] value, String kind, String rule, boolean late) {

    public boolean valid() {
        return rule == null;
    }
}
