package io.ecompipeline.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a route in the external routes folder replace the built-in route with the same id: while the built-in
 * (classpath) YAML files are turned into routes, any route whose id an external file also defines is dropped, so
 * the external one is the only one loaded.
 */
public final class RouteFileOverrides implements RouteBuilderLifecycleStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileOverrides.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path directory;
    private volatile Set<String> externalIds;

    public RouteFileOverrides(Path directory) {
        this.directory = directory;
    }

    @Override
    public void afterConfigure(RouteBuilder builder) {
        Resource resource = builder.getResource();
        if (resource == null || !resource.getLocation().startsWith("classpath:")) {
            return;
        }
        Set<String> overridden = externalIds();
        List<RouteDefinition> routes = builder.getRouteCollection().getRoutes();
        routes.removeIf(route -> {
            boolean replaced = route.getRouteId() != null && overridden.contains(route.getRouteId());
            if (replaced) {
                LOG.info("Built-in route {} ({}) is replaced by the one in {}", route.getRouteId(), resource.getLocation(), directory);
            }
            return replaced;
        });
    }

    /** Route ids defined by the YAML files of the external folder (read once at start-up). */
    public Set<String> externalIds() {
        Set<String> ids = externalIds;
        if (ids == null) {
            ids = new HashSet<>();
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path file : files.filter(RouteFileOverrides::isYaml).toList()) {
                        ids.addAll(routeIds(Files.readString(file)));
                    }
                } catch (IOException e) {
                    LOG.warn("Cannot read the routes folder {}: {}", directory, e.getMessage());
                }
            }
            externalIds = Set.copyOf(ids);
        }
        return ids;
    }

    static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    /** Ids of the {@code - route:} entries of a YAML DSL document; malformed text yields none. */
    public static Set<String> routeIds(String yaml) {
        Set<String> ids = new HashSet<>();
        try {
            JsonNode doc = YAML.readTree(yaml);
            if (doc != null && doc.isArray()) {
                for (JsonNode item : doc) {
                    JsonNode id = item.path("route").path("id");
                    if (id.isTextual()) {
                        ids.add(id.asText());
                    }
                }
            }
        } catch (IOException e) {
            // not parseable: validation reports it properly
        }
        return ids;
    }
}
