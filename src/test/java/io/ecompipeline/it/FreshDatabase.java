package io.ecompipeline.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.db.Database;

/**
 * A database of its own on the local PostgreSQL server, migrated like the runtime's, dropped on close: for tests whose
 * assertions read whole tables (anomalies over every batch, alert state) and so cannot share the common database with
 * other tests. Its URL goes to a runtime as PG_URL.
 */
public final class FreshDatabase implements AutoCloseable {

    private final String name;
    private final String url;
    private final HikariDataSource pool;

    public FreshDatabase(String purpose) {
        this(purpose, "latest");
    }

    /** A database migrated up to {@code version} only; {@link #migrateToLatest()} applies the rest. */
    public FreshDatabase(String purpose, String version) {
        name = ("ecom_it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        String server = LocalServices.PG_URL.substring(0, LocalServices.PG_URL.lastIndexOf('/'));
        url = server + "/" + name;
        try (Connection c = admin(server); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " at " + server + ": " + e.getMessage(), e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(LocalServices.PG_USER);
        config.setPassword(LocalServices.PG_PASSWORD);
        config.setMaximumPoolSize(4);
        pool = new HikariDataSource(config);
        Database.migrate(pool, settings(), version);
    }

    public void migrateToLatest() {
        Database.migrate(pool, settings(), "latest");
    }

    private PipelineSettings.Database settings() {
        return new PipelineSettings.Database(url, LocalServices.PG_USER, LocalServices.PG_PASSWORD, 4,
                Duration.ofSeconds(5), Duration.ofSeconds(5), "classpath:sql/migrations", "", "", "");
    }

    public String url() {
        return url;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Runs one statement (DDL or DML) and returns the rows it changed. */
    public int execute(String sql, Object... params) {
        try (Connection c = pool.getConnection(); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public long count(String sql, Object... params) {
        try (Connection c = pool.getConnection(); var st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
        String server = url.substring(0, url.lastIndexOf('/'));
        try (Connection c = admin(server); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name + ": " + e.getMessage(), e);
        }
    }

    private static Connection admin(String server) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", LocalServices.PG_USER);
        p.setProperty("password", LocalServices.PG_PASSWORD);
        p.setProperty("connectTimeout", "5");
        try {
            return DriverManager.getConnection(server + "/postgres", p);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL is not reachable at " + server + ": " + e.getMessage()
                    + " — start the local stack with: bash scripts/local-stack.sh up", e);
        }
    }
}
