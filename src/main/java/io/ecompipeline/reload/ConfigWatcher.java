package io.ecompipeline.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ecompipeline.contract.ActiveContract;
import io.ecompipeline.contract.ContractSchemaLoader;
import io.ecompipeline.contract.EventContract;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies edits of route files (external routes folder) and of the contract (rules and schema files) while the
 * pipeline runs. Each edit is validated first; a broken one is rejected with a clear log line and recorded, and the
 * previous version keeps running. A route change stops the old route gracefully (its in-flight batch completes and
 * commits) and starts the new one, which continues from the committed Kafka offsets. A contract change is swapped in
 * between batches. Polls file contents (a hash per file) at a fixed interval from a timer route.
 */
public final class ConfigWatcher {

    private static final Logger LOG = LoggerFactory.getLogger("io.ecompipeline.reload");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).findAndRegisterModules();
    private static final int HISTORY = 100;

    private final CamelContext context;
    private final Path routesDir;
    private final RouteValidator validator;
    private final ActiveContract contract;
    private final String schemaUri;
    private final String rulesUri;
    private final long maxPayloadBytes;
    private final Map<Path, String> knownHashes = new HashMap<>();
    private final Map<Path, String> lastGood = new HashMap<>();
    private final Deque<ReloadEvent> history = new ArrayDeque<>();
    private String contractHash;
    private boolean announced;

    public ConfigWatcher(CamelContext context, Path routesDir, RouteValidator validator, ActiveContract contract,
                         String schemaUri, String rulesUri, long maxPayloadBytes) {
        this.context = context;
        this.routesDir = routesDir;
        this.validator = validator;
        this.contract = contract;
        this.schemaUri = schemaUri;
        this.rulesUri = rulesUri;
        this.maxPayloadBytes = maxPayloadBytes;
        // Remember the files as they are now, before camel-main loads them, not at the first timer tick: a file
        // dropped in while the context starts (seconds on a slow machine) would otherwise be taken as loaded and
        // never applied or rejected. A file edited between now and the load is applied once more, which is harmless.
        routeFiles().forEach((file, hash) -> {
            knownHashes.put(file, hash);
            lastGood.put(file, read(file));
        });
        contractHash = contractHash();
    }

    /** Timer route entry point: looks for changed files and applies them. */
    public synchronized void scan() {
        if (!announced) {
            announced = true;
            LOG.info("Watching {} for route edits ({} files) and the contract files for rule edits", routesDir, knownHashes.size());
        }
        Map<Path, String> current = routeFiles();
        for (Map.Entry<Path, String> file : current.entrySet()) {
            if (!Objects.equals(knownHashes.get(file.getKey()), file.getValue())) {
                knownHashes.put(file.getKey(), file.getValue());
                applyRouteFile(file.getKey());
            }
        }
        for (Path gone : new ArrayList<>(knownHashes.keySet())) {
            if (!current.containsKey(gone)) {
                knownHashes.remove(gone);
                record(gone.toString(), "routes", "ignored", List.of(), "file removed: its routes keep running until restart");
                LOG.warn("Route file {} was removed; its routes keep running until the next restart", gone);
            }
        }
        String hash = contractHash();
        if (!Objects.equals(hash, contractHash)) {
            contractHash = hash;
            applyContract();
        }
    }

    public synchronized List<ReloadEvent> history() {
        return List.copyOf(history);
    }

    private void applyRouteFile(Path file) {
        String text = read(file);
        String previous = lastGood.get(file);
        Resource candidate = ResourceHelper.fromString("file:" + file, text);
        List<String> ids;
        try {
            ids = validator.validate(candidate);
        } catch (Exception e) {
            String reason = rootMessage(e);
            LOG.error("Rejected edit of {}: {} — the previous version keeps running", file, reason);
            record(file.toString(), "routes", "rejected", List.of(), reason);
            return;
        }
        Set<String> running = new TreeSet<>();
        context.getRoutes().forEach(r -> running.add(r.getRouteId()));
        try {
            Set<String> updated = PluginHelper.getRoutesLoader(context).updateRoutes(List.of(candidate));
            lastGood.put(file, text);
            List<String> changes = describeRouteChange(previous, text, updated, running);
            LOG.info("Applied edit of {}: {}", file, String.join("; ", changes));
            record(file.toString(), "routes", "applied", changes, null);
        } catch (Exception e) {
            String reason = rootMessage(e);
            LOG.error("Applying {} failed: {}; restoring the previous version", file, reason);
            if (previous != null) {
                try {
                    PluginHelper.getRoutesLoader(context).updateRoutes(List.of(ResourceHelper.fromString("file:" + file, previous)));
                    record(file.toString(), "routes", "restored", List.of(), reason);
                    return;
                } catch (Exception restoreFailure) {
                    LOG.error("Restoring {} failed too: {}", file, rootMessage(restoreFailure));
                }
            }
            record(file.toString(), "routes", "rejected", List.of(), reason);
        }
    }

    private void applyContract() {
        EventContract next;
        try {
            // a new loader: the old one caches the compiled schema by URI
            next = EventContract.load(context, new ContractSchemaLoader(), schemaUri, rulesUri, maxPayloadBytes, Clock.systemUTC());
        } catch (RuntimeException e) {
            String reason = rootMessage(e);
            LOG.error("Rejected edit of the contract ({} / {}): {} — the previous rules keep applying", rulesUri, schemaUri, reason);
            record(rulesUri, "contract", "rejected", List.of(), reason);
            return;
        }
        EventContract previous = contract.replace(next);
        List<String> changes = describeRuleChange(previous, next);
        LOG.info("Applied contract edit ({}): {}", rulesUri, changes.isEmpty() ? "schema changed" : String.join("; ", changes));
        record(rulesUri, "contract", "applied", changes, null);
    }

    private List<String> describeRouteChange(String before, String after, Set<String> updated, Set<String> running) {
        List<String> changes = new ArrayList<>();
        for (String id : new TreeSet<>(updated)) {
            changes.add((running.contains(id) ? "updated route " : "added route ") + id);
        }
        List<String> a = before == null ? List.of() : before.lines().toList();
        List<String> b = after.lines().toList();
        long added = b.stream().filter(l -> !a.contains(l)).count();
        long removed = a.stream().filter(l -> !b.contains(l)).count();
        changes.add("+" + added + " -" + removed + " lines");
        return changes;
    }

    /** Rule settings that differ, as {@code key: old → new}. */
    private static List<String> describeRuleChange(EventContract before, EventContract after) {
        List<String> changes = new ArrayList<>();
        try {
            JsonNode a = YAML.valueToTree(before.rules());
            JsonNode b = YAML.valueToTree(after.rules());
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (!Objects.equals(a.get(key), b.get(key))) {
                    changes.add(key + ": " + a.get(key) + " → " + b.get(key));
                }
            }
        } catch (RuntimeException e) {
            changes.add("rules changed");
        }
        return changes;
    }

    private void record(String file, String kind, String outcome, List<String> changes, String error) {
        history.addFirst(new ReloadEvent(Instant.now(), file, kind, outcome, changes, error));
        while (history.size() > HISTORY) {
            history.removeLast();
        }
    }

    private Map<Path, String> routeFiles() {
        Map<Path, String> files = new LinkedHashMap<>();
        if (!Files.isDirectory(routesDir)) {
            return files;
        }
        try (Stream<Path> list = Files.list(routesDir)) {
            list.filter(RouteFileOverrides::isYaml).sorted().forEach(f -> files.put(f, hash(read(f))));
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", routesDir, e.getMessage());
        }
        return files;
    }

    private String contractHash() {
        StringBuilder both = new StringBuilder();
        for (String uri : List.of(schemaUri, rulesUri)) {
            if (uri.startsWith("file:")) {
                both.append(read(Path.of(uri.substring("file:".length())))).append('\u0000');
            }
        }
        return hash(both.toString());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message.replaceAll("\\s+", " ").trim();
    }

    /** For the REST endpoint: watched locations and recent events. */
    public synchronized Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("routesDir", routesDir.toAbsolutePath().toString());
        status.put("routeFiles", knownHashes.keySet().stream().map(Path::toString).sorted().toList());
        status.put("rules", rulesUri);
        status.put("schema", schemaUri);
        status.put("events", history());
        return status;
    }
}
