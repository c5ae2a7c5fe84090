package io.ecompipeline.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.config.SettingException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL side of start-up: one HikariCP pool, a bounded wait for the server, and Flyway migrations from
 * {@code sql/migrations}. Failing here names the setting to fix instead of dumping a driver stack trace.
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    public static HikariDataSource createPool(PipelineSettings.Database db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("ecom-pipeline-db");
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(db.poolSize());
        config.setConnectionTimeout(db.connectionTimeout().toMillis());
        config.setAutoCommit(true);
        // the pool is created before the server may be up; start-up waits for it explicitly below
        config.setInitializationFailTimeout(-1);
        // batched statements are rewritten into multi-row INSERTs; COPY does the heavy lifting anyway
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "ecom-pipeline");
        if (!db.sslMode().isEmpty()) {
            config.addDataSourceProperty("sslmode", db.sslMode());
        }
        if (!db.sslRootCert().isEmpty()) {
            config.addDataSourceProperty("sslrootcert", db.sslRootCert());
        }
        return new HikariDataSource(config);
    }

    /** Waits until PostgreSQL accepts a connection, or fails with a message that says which settings to check. */
    public static void awaitReachable(DataSource dataSource, PipelineSettings settings) {
        PipelineSettings.Database db = settings.database();
        Duration wait = db.startupWait();
        long deadline = System.nanoTime() + wait.toNanos();
        SQLException last = null;
        int attempt = 0;
        while (System.nanoTime() < deadline) {
            try (Connection c = dataSource.getConnection()) {
                if (c.isValid(5)) {
                    if (attempt > 0) {
                        LOG.info("PostgreSQL is reachable after {} attempts", attempt + 1);
                    }
                    return;
                }
            } catch (SQLException e) {
                last = e;
                if (isAuthenticationFailure(e)) {
                    break;
                }
                if (attempt++ == 0) {
                    LOG.warn("Waiting up to {}s for PostgreSQL at {}: {}", wait.toSeconds(),
                            db.url(), e.getMessage());
                }
            }
            sleepQuietly(500);
        }
        String reason = last == null ? "no valid connection" : rootMessage(last);
        throw new SettingException("PostgreSQL is not usable at " + db.url() + " as user " + db.user() + ": " + reason
                + ". Check " + settings.source().envName("pipeline.db.url") + ", " + settings.source().envName("pipeline.db.user")
                + " and " + settings.source().envName("pipeline.db.password") + " (is the server running?)", last);
    }

    /**
     * Start-up's migration: Flyway only when the migrations or Flyway's history differ from what the last successful
     * migrate left ({@link SchemaFingerprint}); a pending migration always migrates.
     */
    public static void migrateIfChanged(DataSource dataSource, PipelineSettings.Database db) {
        String fingerprint = SchemaFingerprint.of(db.migrations(), placeholders(db),
                String.valueOf(new SampleFxRatesMigration().getChecksum()));
        try {
            if (SchemaFingerprint.isCurrent(dataSource, fingerprint)) {
                LOG.info("Database schema current (migrations and history unchanged since the last migrate), Flyway skipped");
                return;
            }
        } catch (SQLException e) {
            LOG.info("Database schema fingerprint not readable ({}), running Flyway", e.getMessage());
        }
        migrate(dataSource, db);
        try {
            SchemaFingerprint.record(dataSource, fingerprint);
        } catch (SQLException e) {
            // the next start runs Flyway again: slower, not wrong
            LOG.warn("Could not store the schema fingerprint: {}", e.getMessage());
        }
    }

    private static java.util.Map<String, String> placeholders(PipelineSettings.Database db) {
        return java.util.Map.of("analyst_password", db.analystPassword());
    }

    public static MigrateResult migrate(DataSource dataSource, PipelineSettings.Database db) {
        return migrate(dataSource, db, "latest");
    }

    /** Migrates up to {@code target} (a version, or "latest"): tests of a migration's backfill start just before it. */
    public static MigrateResult migrate(DataSource dataSource, PipelineSettings.Database db, String target) {
        String locations = db.migrations();
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(locations.split(","))
                // the one migration that reads a file (the sample FX rates); every other one is SQL in sql/migrations
                .javaMigrations(new SampleFxRatesMigration())
                // the migration creating the read-only role analyst gives it this password (empty: no login)
                .placeholders(placeholders(db))
                .baselineOnMigrate(false)
                .target(target)
                .load();
        MigrateResult result = flyway.migrate();
        var current = flyway.info().current();
        LOG.info("Database schema at version {} ({} migrations applied now)",
                current == null ? "none" : current.getVersion(), result.migrationsExecuted);
        return result;
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} inside a transaction. A connection already in one (auto-commit off) is left to its owner, who
     * commits; an auto-commit connection gets a transaction of its own, committed here. Writers that COPY through
     * {@code ON COMMIT DELETE ROWS} staging tables need this: under auto-commit the COPY's own commit would empty the
     * staging table before the merge reads it.
     */
    public static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            return work.run();
        }
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Rolls back after a failure; when that fails too the connection is broken and the pool discards it. */
    public static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.getMessage());
        }
    }

    /** True when the failure is about reaching the server rather than about the data (SQLState class 08, pool timeouts). */
    public static boolean isConnectivityFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException || t instanceof java.io.EOFException
                    || t instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when trying the same work again later can succeed: the server is unreachable or restarting, or the
     * transaction lost a race (serialization failure, deadlock, lock or statement timeout, too many connections,
     * out of resources). Everything else is about the data or the code and fails again the same way.
     */
    public static boolean isTransient(Throwable error) {
        if (isConnectivityFailure(error)) {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.equals("40001") || state.equals("40P01") || state.equals("55P03") || state.equals("57014")
                        || state.startsWith("53") || state.startsWith("58")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isAuthenticationFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("28P01") || state.equals("28000") || state.equals("3D000"));
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
