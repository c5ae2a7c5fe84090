package io.ecompipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInRoutesTest {

    @TempDir
    Path tmp;

    @Test
    void aJarListsItsTopLevelYamlRouteFilesOnlySortedByName() throws IOException {
        Path jar = tmp.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("routes/", "routes/zeta.yaml", "routes/alpha.yaml", "routes/notes.txt",
                    "routes/old/legacy.yaml", "other/routes/x.yaml", "routes.yaml", "io/App.class")) {
                out.putNextEntry(new JarEntry(name));
                out.closeEntry();
            }
        }
        assertEquals(List.of("routes/alpha.yaml", "routes/zeta.yaml"), BuiltInRoutes.list(jar));
    }

    @Test
    void aClassesFolderListsTheSameWay() throws IOException {
        Path routes = Files.createDirectories(tmp.resolve("classes/routes/old"));
        for (Path p : List.of(routes.resolveSibling("b.yaml"), routes.resolveSibling("a.yaml"),
                routes.resolveSibling("readme.md"), routes.resolve("legacy.yaml"))) {
            try (OutputStream ignored = Files.newOutputStream(p)) {
                // an empty file is enough to be listed
            }
        }
        assertEquals(List.of("routes/a.yaml", "routes/b.yaml"), BuiltInRoutes.list(tmp.resolve("classes")));
        assertTrue(BuiltInRoutes.list(Files.createDirectories(tmp.resolve("empty"))).isEmpty());
    }

    @Test
    void theRuntimeNamesEveryRouteFileOfItsSources() throws IOException {
        // expected: the source folder's own listing, independent of the class under test's lookup
        List<String> expected;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
            expected = files.map(p -> "classpath:routes/" + p.getFileName())
                    .filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
        assertTrue(expected.size() > 3, expected::toString);
        assertEquals(expected, List.of(BuiltInRoutes.includePattern().split(",")));
    }

    @Test
    void aMissingJarIsAnError() {
        assertThrows(IOException.class, () -> BuiltInRoutes.list(tmp.resolve("missing.jar")));
    }
}
