package io.ecompipeline.transform;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The transformation files of one run: every {@code NN_name.sql} directly in a directory, in name order. The
 * directory is {@code classpath:sql/transform} (inside the jar) or {@code file:/some/dir}; files are read again for
 * every run, so with a {@code file:} location an edited or added file takes effect at the next run, no restart.
 */
public final class SqlScripts {

    /** A file name such as {@code 10_transactions_clean.sql}; anything else in the directory is ignored. */
    static final Pattern NAME = Pattern.compile("\\d+_[A-Za-z0-9_.-]*\\.sql");

    public record Script(String name, String sql) {
    }

    private SqlScripts() {
    }

    public static List<Script> load(String location) {
        List<Script> scripts;
        try {
            if (location.startsWith("classpath:")) {
                scripts = fromClasspath(trimSlashes(location.substring("classpath:".length())));
            } else {
                scripts = fromDirectory(Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location));
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read transformation files from " + location + ": " + e.getMessage(), e);
        }
        if (scripts.isEmpty()) {
            throw new IllegalStateException("no transformation files (NN_name.sql) in " + location);
        }
        scripts.sort(Comparator.comparing(Script::name));
        return scripts;
    }

    private static List<Script> fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory");
        }
        List<Script> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (NAME.matcher(name).matches() && Files.isRegularFile(file)) {
                    scripts.add(new Script(name, Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        }
        return scripts;
    }

    private static List<Script> fromClasspath(String dir) throws IOException, URISyntaxException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = SqlScripts.class.getClassLoader();
        }
        Enumeration<URL> roots = loader.getResources(dir);
        if (!roots.hasMoreElements()) {
            throw new IOException("classpath directory " + dir + " not found");
        }
        URL root = roots.nextElement(); // the first on the classpath wins, like any other resource
        if ("file".equals(root.getProtocol())) {
            return fromDirectory(Path.of(root.toURI()));
        }
        if (!"jar".equals(root.getProtocol())) {
            throw new IOException("unsupported classpath location " + root);
        }
        URLConnection connection = root.openConnection();
        connection.setUseCaches(false);
        List<Script> scripts = new ArrayList<>();
        try (JarFile jar = ((JarURLConnection) connection).getJarFile()) {
            String prefix = dir + "/";
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String path = entry.getName();
                if (entry.isDirectory() || !path.startsWith(prefix)) {
                    continue;
                }
                String name = path.substring(prefix.length());
                if (NAME.matcher(name).matches()) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        scripts.add(new Script(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return scripts;
    }

    private static String trimSlashes(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
