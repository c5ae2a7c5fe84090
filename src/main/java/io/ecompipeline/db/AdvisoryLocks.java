package io.ecompipeline.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL advisory lock keys (two-int form, {@code pg_try_advisory_xact_lock(NAMESPACE, job)}) that keep runs of
 * one job from overlapping across every runtime instance that shares the database.
 */
public final class AdvisoryLocks {

    /** "ECOM" in ASCII: the namespace of this pipeline's advisory locks. */
    public static final int NAMESPACE = 0x45434F4D;
    public static final int TRANSFORM = 1;
    public static final int INDEX = 2;
    public static final int GOLD = 3;
    /** The catalog job (sql/catalog); 13 after the issue that added it, well clear of the small numbers above. */
    public static final int CATALOG = 13;

    private AdvisoryLocks() {
    }

    /** Takes {@code job}'s lock for the current transaction if no one holds it; false when another run does. */
    public static boolean tryTransactionLock(Connection c, int job) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?, ?)")) {
            st.setInt(1, NAMESPACE);
            st.setInt(2, job);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
