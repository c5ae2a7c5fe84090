package io.ecompipeline.deadletter;

import java.util.List;

import io.ecompipeline.contract.Violation;
import io.ecompipeline.persist.SourceRecord;

/**
 * A record that failed on the ingest path, about to enter the dead-letter store.
 *
 * @param errorClass {@code malformed} (not a JSON object), {@code invalid} (contract violations) or
 *                   {@code processing} (a failure while storing it)
 */
public record NewDeadLetter(SourceRecord origin, String eventId, String errorClass, List<Violation> reasons) {

    public static final String MALFORMED = "malformed";
    public static final String INVALID = "invalid";
    public static final String PROCESSING = "processing";

    public static String classify(List<Violation> reasons) {
        for (Violation v : reasons) {
            if (!v.rule().startsWith("malformed.")) {
                return INVALID;
            }
        }
        return MALFORMED;
    }
}
