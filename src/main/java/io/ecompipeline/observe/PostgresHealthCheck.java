package io.ecompipeline.observe;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: PostgreSQL answers a query through the pipeline's pool. Not a liveness check: an outage is waited out. */
public final class PostgresHealthCheck extends AbstractHealthCheck {

    private final DataSource dataSource;

    public PostgresHealthCheck(DataSource dataSource) {
        super("ecom-pipeline", "postgresql");
        this.dataSource = dataSource;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.setQueryTimeout(3);
            st.execute("SELECT 1");
            builder.up().detail("latency.ms", (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            builder.down().message("PostgreSQL unreachable: " + e.getMessage()).error(e);
        }
    }
}
