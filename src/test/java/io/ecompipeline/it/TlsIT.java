package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.ecompipeline.generate.EventGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to PostgreSQL and HTTPS on loopback, against the local stack's own certificates (scripts/local-stack.sh: a
 * local CA, PostgreSQL with ssl = on): verify-full with that CA works and events land; with another CA the runtime
 * refuses to start; both HTTP servers serve HTTPS with the given keystore, bound to 127.0.0.1 only.
 */
class TlsIT {

    private static TestKafka kafka;

    @TempDir
    Path temp;

    @BeforeAll
    static void connect() {
        kafka = new TestKafka();
        TestDb.count("SELECT 1");
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static Map<String, String> env(String topic) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_TOPIC", topic);
        env.put("KAFKA_GROUP_ID", topic);
        env.put("PIPELINE_BATCH_MAX_WAIT_MS", "200");
        return env;
    }

    @Test
    void postgresOverVerifiedTlsAndRefusedWithAnotherCa() throws Exception {
        String topic = kafka.createTopic("it-tls-pg", 1);
        Map<String, String> env = env(topic);
        env.put("PG_SSL_MODE", "verify-full");
        env.put("PG_SSL_ROOT_CERT", LocalServices.tlsFile("ca.crt").toString());
        try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
            runtime.awaitStarted();
            EventGenerator gen = new EventGenerator(TestSeeds.fresh(), 0, 0, 10, 5, Clock.systemUTC());
            kafka.send(topic, List.of(gen.valid("PURCHASE").value(), gen.valid("PAGE_VIEW").value()));
            Await.until("events landed over TLS", Duration.ofSeconds(60), () -> TestDb.rows(topic), n -> n == 2);
        }
        // the same with a CA that did not sign the server's certificate: verify-full must refuse it
        Path otherCa = otherCa();
        env.put("PG_SSL_ROOT_CERT", otherCa.toString());
        env.put("PG_STARTUP_WAIT", "PT5S");
        try (RuntimeProcess refused = new RuntimeProcess(topic + "-other-ca", env).start()) {
            int exit = refused.waitForExit(Duration.ofSeconds(90));
            assertNotEquals(0, exit, refused.tail(20));
            assertTrue(refused.logText().contains("PostgreSQL is not usable"), refused.tail(20));
        }
    }

    /** A self-signed certificate of a CA the local PostgreSQL does not use. */
    private Path otherCa() throws IOException, InterruptedException {
        Path key = temp.resolve("other.key");
        Path crt = temp.resolve("other-ca.crt");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=another CA", "-keyout", key.toString(), "-out", crt.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        return crt;
    }

    @Test
    void bothServersServeHttpsOnLoopbackOnly() throws Exception {
        String topic = kafka.createTopic("it-tls-https", 1);
        Map<String, String> env = env(topic);
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("MANAGEMENT_HOST", "127.0.0.1");
        env.put("HTTP_TLS_ENABLED", "true");
        env.put("HTTP_TLS_KEYSTORE", "file:" + LocalServices.tlsFile("server.p12"));
        env.put("HTTP_TLS_KEYSTORE_PASSWORD", LocalServices.TLS_PASSWORD);
        try (RuntimeProcess runtime = new RuntimeProcess(topic, env).start()) {
            runtime.awaitStarted();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(LocalServices.tlsFile("truststore.p12")))
                    .connectTimeout(Duration.ofSeconds(30)).build();
            String api = runtime.api().replace("http://", "https://");
            String management = runtime.management().replace("http://", "https://");
            assertEquals(200, TestHttp.get(https, api + "/jobs").status());
            TestHttp.Response health = Await.until("ready over HTTPS", Duration.ofSeconds(60),
                    () -> TestHttp.get(https, management + "/health/ready"), r -> r.status() == 200);
            assertTrue(health.body().contains("postgresql"), health.body());
            // plain HTTP is not served
            boolean plainServed;
            try {
                plainServed = TestHttp.get(runtime.api() + "/jobs").status() == 200;
            } catch (IllegalStateException refused) {
                plainServed = false;
            }
            assertFalse(plainServed, "plain HTTP answered 200");
            // both ports listen on 127.0.0.1 only
            for (String url : List.of(api, management)) {
                int port = java.net.URI.create(url).getPort();
                assertEquals(List.of("127.0.0.1"), listeningAddresses(port), "port " + port);
            }
        }
    }

    private static SSLContext trusting(Path truststore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            ks.load(in, LocalServices.TLS_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The local addresses a TCP port listens on, from /proc/net/tcp and tcp6 (state 0A = LISTEN). */
    private static List<String> listeningAddresses(int port) throws IOException {
        List<String> addresses = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A") || !f[1].contains(":")) {
                    continue;
                }
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    private static String address(String hex) {
        if (hex.length() == 8) { // IPv4, little-endian
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        if (hex.equals("0".repeat(32))) {
            return "::";
        }
        if (hex.startsWith("0000000000000000FFFF0000")) { // IPv4-mapped
            return address(hex.substring(24));
        }
        return hex;
    }
}
