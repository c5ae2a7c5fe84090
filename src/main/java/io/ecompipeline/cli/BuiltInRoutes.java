package io.ecompipeline.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The route files built into the runtime ({@code routes/*.yaml} of its jar or classes folder), named one by one for
 * camel-main's {@code routesIncludePattern}.
 *
 * <p>Why not the wildcard {@code classpath:routes/*.yaml}: camel-main matches a classpath wildcard by reading the whole
 * jar as a stream, entry by entry (77 MB compressed), and it does so twice at start-up (route loading and modeline
 * detection): about 1 s of a 5 s start on JDK 25 (BENCHMARKS.md "Start-up"). Named files are loaded directly; the
 * jar's central directory, read here, lists them in milliseconds.
 */
final class BuiltInRoutes {

    static final String FOLDER = "routes/";

    private BuiltInRoutes() {
    }

    /** {@code classpath:routes/a.yaml,classpath:routes/b.yaml,...} for the code this class was loaded from. */
    static String includePattern() throws IOException {
        Path codeSource;
        try {
            codeSource = Path.of(BuiltInRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the runtime's own jar: " + e.getMessage(), e);
        }
        List<String> files = list(codeSource);
        if (files.isEmpty()) {
            throw new IOException("no route files under " + FOLDER + " in " + codeSource);
        }
        return files.stream().map(f -> "classpath:" + f).collect(Collectors.joining(","));
    }

    /** The {@code routes/*.yaml} entries (not in sub-folders) of a jar or classes folder, sorted by name. */
    static List<String> list(Path codeSource) throws IOException {
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(codeSource)) {
            Path folder = codeSource.resolve(FOLDER);
            if (Files.isDirectory(folder)) {
                try (Stream<Path> entries = Files.list(folder)) {
                    entries.map(p -> FOLDER + p.getFileName()).filter(BuiltInRoutes::isRouteFile).forEach(files::add);
                }
            }
        } else {
            try (JarFile jar = new JarFile(codeSource.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    String name = e.nextElement().getName();
                    if (isRouteFile(name)) {
                        files.add(name);
                    }
                }
            }
        }
        files.sort(null);
        return files;
    }

    private static boolean isRouteFile(String name) {
        return name.startsWith(FOLDER) && name.endsWith(".yaml") && name.indexOf('/', FOLDER.length()) < 0;
    }
}
