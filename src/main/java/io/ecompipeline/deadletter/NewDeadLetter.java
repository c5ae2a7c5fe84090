package io.ecompipeline.deadletter;

import java.util.List;

import io.ecompipeline.contract.Violation;
import io.ecompipeline.persist.RecordSource;
import io.ecompipeline.persist.SourceRecord;

/**
 * A record that failed on the ingest path, about to enter the dead-letter store.
 *
 * @param source     the source it belongs to (events, products, ...): redelivery revalidates it with that source's
 *                   contract and writes it with that source's writer
 * @param eventId    the record's id as found in it (event_id, product_id, ...), if any
 * @param errorClass {@code malformed} (not a JSON object), {@code invalid} (contract violations) or
 *                   {@code processing} (a failure while storing it)
 */
public record NewDeadLetter(String source, SourceRecord origin, String eventId, String errorClass, List<Violation> reasons) {

    public static final String MALFORMED = "malformed";
    public static final String INVALID = "invalid";
    public static final String PROCESSING = "processing";

    /** A dead letter of the events source. */
    public NewDeadLetter(SourceRecord origin, String eventId, String errorClass, List<Violation> reasons) {
        this(RecordSource.EVENTS, origin, eventId, errorClass, reasons);
    }

    public static String classify(List<Violation> reasons) {
        for (Violation v : reasons) {
            if (!v.rule().startsWith("malformed.")) {
                return INVALID;
            }
        }
        return MALFORMED;
    }
}
