package io.ecompipeline.db;

import java.sql.SQLException;

/**
 * A write that failed for a reason that may pass ({@link Database#isTransient}): the one failure the ingest route
 * retries in-line (routes/error-handling.yaml). Any other failure is about a record or the code, and retrying the
 * batch would only fail the same way again.
 */
public final class TransientDatabaseException extends SQLException {

    public TransientDatabaseException(SQLException cause) {
        super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
    }

    /** {@code failure} as this type when it is transient, else unchanged. */
    public static SQLException classify(SQLException failure) {
        return failure instanceof TransientDatabaseException || !Database.isTransient(failure)
                ? failure : new TransientDatabaseException(failure);
    }
}
