package io.ecompipeline.observe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class AlertsTest {

    /** PostgreSQL unreachable: the alert state is decided in memory (AlertsIT covers the shared state in PostgreSQL). */
    private static final DataSource UNREACHABLE = (DataSource) Proxy.newProxyInstance(AlertsTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                throw new SQLException("connection refused", "08001");
            });

    @Test
    void aCauseFiresOnceWhileItLastsAndResolvesOnce() {
        Alerts alerts = new Alerts(null, false, UNREACHABLE);
        assertTrue(alerts.raise("job-failed", "redeliver", "redeliver failed: connection refused", Map.of()));
        for (int i = 0; i < 12; i++) {
            assertFalse(alerts.raise("job-failed", "redeliver", "redeliver failed again", Map.of()), "repeat " + i);
        }
        // another cause is an alert of its own
        assertTrue(alerts.raise("job-failed", "index", "index failed", Map.of()));
        assertTrue(alerts.resolve("job-failed", "redeliver", "redeliver succeeded"));
        assertFalse(alerts.resolve("job-failed", "redeliver", "redeliver succeeded"), "resolved once");
        assertFalse(alerts.resolve("quality", "data-quality", "ok"), "nothing to resolve");
        assertTrue(alerts.isActive("job-failed", "index"));
        // the next outage is a new alert
        assertTrue(alerts.raise("job-failed", "redeliver", "redeliver failed", Map.of()));
    }
}
