package io.ecompipeline.jobs;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code maintenance} job: runs the SQL files of {@code sql/maintenance/} in name order, statement by statement
 * in auto-commit (VACUUM cannot run in a transaction). Airflow's maintenance-window DAG runs it with ingestion
 * suspended. Returns the rows each file affected.
 */
public final class MaintenanceJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceJob.class);

    private final CamelContext context;
    private final DataSource dataSource;
    private final String location;

    public MaintenanceJob(CamelContext context, DataSource dataSource, String location) {
        this.context = context;
        this.dataSource = dataSource;
        this.location = location.replaceAll("/+$", "");
    }

    @Override
    public Map<String, Object> run(JobRun run) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Integer> rowsByFile = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (Resource file : files()) {
                int rows = 0;
                for (String sql : statements(file)) {
                    try (Statement st = c.createStatement()) {
                        st.execute(sql);
                        rows += Math.max(0, st.getUpdateCount());
                    }
                }
                rowsByFile.put(file.getLocation().replaceAll(".*/", ""), rows);
                LOG.info("Maintenance {}: {} rows", file.getLocation(), rows);
            }
        }
        result.put("files", rowsByFile);
        return result;
    }

    private List<Resource> files() throws Exception {
        PackageScanResourceResolver resolver = PluginHelper.getPackageScanResourceResolver(context);
        List<Resource> files = new ArrayList<>(resolver.findResources(location + "/*.sql"));
        files.sort(Comparator.comparing(r -> r.getLocation().replaceAll(".*/", "")));
        if (files.isEmpty()) {
            throw new IllegalStateException("no maintenance SQL files found at " + location);
        }
        return files;
    }

    /** Statements of a file: split on semicolons at line ends; comment lines dropped. */
    static List<String> statements(Resource file) throws Exception {
        String text;
        try (InputStream in = file.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(current.toString().strip().replaceAll(";$", ""));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
