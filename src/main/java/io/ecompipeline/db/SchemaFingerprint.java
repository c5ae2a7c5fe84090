package io.ecompipeline.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * Lets start-up skip Flyway when nothing changed since the last migration: a SHA-256 over every migration file (name
 * and bytes), the Java migration's checksum and the placeholder values, stored with the state of Flyway's history
 * table after a successful migrate ({@code pipeline.schema_fingerprint}). A start whose fingerprint and history match
 * what was stored has nothing to migrate; anything else (a new or changed file, another placeholder value, a history
 * someone changed, no stored fingerprint) runs Flyway as before, with its validation.
 *
 * <p>Why: Flyway's scan, parse and validation of every migration took ~2 s of the runtime's start-up on this project's
 * 2-core machine, on every start, to find that nothing was pending.
 */
public final class SchemaFingerprint {

    private static final String HISTORY = "SELECT count(*), coalesce(max(installed_rank), 0), coalesce(bool_and(success), true) "
            + "FROM flyway_schema_history";

    private SchemaFingerprint() {
    }

    /** The fingerprint of the migrations at {@code locations} (Flyway syntax: classpath:x or filesystem:x, comma-separated). */
    public static String of(String locations, Map<String, String> placeholders, String javaMigrationChecksum) {
        MessageDigest sha = sha256();
        for (String location : locations.split(",")) {
            Map<String, byte[]> files = files(location.trim());
            files.forEach((name, bytes) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
                sha.update((byte) 0);
            });
        }
        new TreeMap<>(placeholders).forEach((k, v) -> sha.update((k + "=" + v + "\0").getBytes(StandardCharsets.UTF_8)));
        sha.update(javaMigrationChecksum.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** True when the stored fingerprint equals {@code fingerprint} and Flyway's history is as it was stored with it. */
    public static boolean isCurrent(DataSource dataSource, String fingerprint) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!exists(c, "pipeline.schema_fingerprint") || !exists(c, "flyway_schema_history")) {
                return false;
            }
            long[] history = history(c);
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT fingerprint, history_rows, history_max_rank FROM pipeline.schema_fingerprint WHERE id");
                 ResultSet rs = st.executeQuery()) {
                return rs.next() && history[2] == 1 && rs.getString(1).equals(fingerprint)
                        && rs.getLong(2) == history[0] && rs.getLong(3) == history[1];
            }
        }
    }

    /** Stores {@code fingerprint} with the current state of Flyway's history (after a successful migrate). */
    public static void record(DataSource dataSource, String fingerprint) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long[] history = history(c);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO pipeline.schema_fingerprint "
                    + "(id, fingerprint, history_rows, history_max_rank, recorded_at) VALUES (true, ?, ?, ?, now()) "
                    + "ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, history_rows = excluded.history_rows, "
                    + "history_max_rank = excluded.history_max_rank, recorded_at = excluded.recorded_at")) {
                st.setString(1, fingerprint);
                st.setLong(2, history[0]);
                st.setLong(3, history[1]);
                st.executeUpdate();
            }
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, table);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** rows, highest installed rank, 1 when every row succeeded. */
    private static long[] history(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(HISTORY); ResultSet rs = st.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getBoolean(3) ? 1 : 0};
        }
    }

    /** Every file under a location, by its path relative to it, in name order. */
    private static Map<String, byte[]> files(String location) {
        Map<String, byte[]> files = new TreeMap<>();
        try {
            if (location.startsWith("filesystem:")) {
                readDirectory(Path.of(location.substring("filesystem:".length())), files);
                return files;
            }
            String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            String dir = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            List<URL> urls = Collections.list(SchemaFingerprint.class.getClassLoader().getResources(dir));
            for (URL url : urls) {
                if ("file".equals(url.getProtocol())) {
                    readDirectory(Path.of(url.toURI()), files);
                } else if ("jar".equals(url.getProtocol())) {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        List<JarEntry> entries = new ArrayList<>();
                        jar.stream().filter(e -> !e.isDirectory() && e.getName().startsWith(dir + "/")).forEach(entries::add);
                        for (JarEntry e : entries) {
                            try (InputStream in = jar.getInputStream(e)) {
                                files.put(e.getName().substring(dir.length() + 1), in.readAllBytes());
                            }
                        }
                    }
                } else {
                    // an unknown kind of location: a fingerprint that can never match, so Flyway always runs
                    files.put("unknown:" + url + ":" + System.nanoTime(), new byte[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migrations at " + location, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the migrations at " + location, e);
        }
        return files;
    }

    private static void readDirectory(Path dir, Map<String, byte[]> files) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
