package io.ecompipeline.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Addresses of the real services the integration tests use, from the same environment variables as the runtime
 * (defaults match {@code scripts/local-stack.sh}). A missing service fails the test with a message saying how to
 * start it; nothing is skipped.
 */
public final class LocalServices {

    public static final String KAFKA = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    public static final String PG_URL = env("PG_URL", "jdbc:postgresql://127.0.0.1:5432/ecom");
    public static final String PG_USER = env("PG_USER", "ecom");
    public static final String PG_PASSWORD = env("PG_PASSWORD", "ecom");
    public static final String ES_HOSTS = env("ES_HOSTS", "127.0.0.1:9200");

    private static final String HOW_TO_START = " — start the local stack with: bash scripts/local-stack.sh up";

    private LocalServices() {
    }

    public static Connection postgres() {
        try {
            Properties p = new Properties();
            p.setProperty("user", PG_USER);
            p.setProperty("password", PG_PASSWORD);
            p.setProperty("connectTimeout", "5");
            return DriverManager.getConnection(PG_URL, p);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + PG_URL + ": " + e.getMessage() + HOW_TO_START, e);
        }
    }

    public static Admin kafkaAdmin() {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000));
        try {
            admin.describeCluster().nodes().get(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            admin.close();
            throw new IllegalStateException("Kafka is not reachable at " + KAFKA + ": " + e.getMessage() + HOW_TO_START, e);
        }
        return admin;
    }

    /** The environment a runtime process needs to use these services. */
    public static Map<String, String> runtimeEnv() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", KAFKA, "PG_URL", PG_URL, "PG_USER", PG_USER, "PG_PASSWORD", PG_PASSWORD,
                "ES_HOSTS", ES_HOSTS);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
