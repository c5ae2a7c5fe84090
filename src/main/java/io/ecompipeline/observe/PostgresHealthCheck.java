package io.ecompipeline.observe;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

/** Readiness: PostgreSQL answers a query through the pipeline's pool (bounded, see {@link BoundedHealthCheck}). */
public final class PostgresHealthCheck extends BoundedHealthCheck {

    private final DataSource dataSource;

    public PostgresHealthCheck(DataSource dataSource, Duration timeout, Duration reuseFor) {
        super("postgresql", timeout, reuseFor);
        this.dataSource = dataSource;
    }

    @Override
    protected Probe probe() {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.setQueryTimeout(3);
            st.execute("SELECT 1");
            return Probe.up(Map.of("latency.ms", (System.nanoTime() - started) / 1_000_000));
        } catch (Exception e) {
            return Probe.down("PostgreSQL unreachable: " + e.getMessage());
        }
    }
}
