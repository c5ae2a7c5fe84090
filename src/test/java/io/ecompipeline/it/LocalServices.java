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
    /** The local CA and server certificate of scripts/local-stack.sh (ca.crt, server.p12, truststore.p12). */
    public static final java.nio.file.Path TLS_DIR = java.nio.file.Path.of(env("LOCAL_TLS_DIR", ".local/tls")).toAbsolutePath();
    public static final String TLS_PASSWORD = env("LOCAL_TLS_PASSWORD", "changeit");
    public static final String KAFKA_SSL = env("KAFKA_SSL_BOOTSTRAP_SERVERS", "127.0.0.1:9094");
    public static final String KAFKA_SASL_SSL = env("KAFKA_SASL_SSL_BOOTSTRAP_SERVERS", "127.0.0.1:9095");
    public static final String KAFKA_SCRAM_USER = env("KAFKA_SCRAM_USER", "ecom");
    public static final String KAFKA_SCRAM_PASSWORD = env("KAFKA_SCRAM_PASSWORD", "ecom-scram");

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

    /** A file of the local certificates; fails with how to make them when it is missing. */
    public static java.nio.file.Path tlsFile(String name) {
        java.nio.file.Path file = TLS_DIR.resolve(name);
        if (!java.nio.file.Files.isReadable(file)) {
            throw new IllegalStateException(file + " is missing: the local certificates are made by scripts/local-stack.sh up"
                    + " (or set LOCAL_TLS_DIR)" + HOW_TO_START);
        }
        return file;
    }

    /** Fails loudly unless something listens on {@code hostPort}, saying what would open it. */
    public static void requireListening(String hostPort, String what) {
        String[] hp = hostPort.split(":");
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 3000);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(what + " is not listening on " + hostPort + ": " + e.getMessage() + HOW_TO_START, e);
        }
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
