package io.ecompipeline.quality;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.ecompipeline.observe.Alerts;

/**
 * The periodic quality check (routes/housekeeping.yaml, every {@code QUALITY_CHECK_INTERVAL}): generates the report and
 * keeps one alert per check in step with it: a breached check raises its alert (sent once, when the breach opens), a
 * check back within its threshold resolves it (sent once). This is the only place that alerts on the report, so
 * reading the report ({@code GET /api/quality}) never sends anything.
 */
public final class QualityMonitor {

    public static final String ALERT_KIND = "quality";

    private final QualityReport report;
    private final Alerts alerts;

    public QualityMonitor(QualityReport report, Alerts alerts) {
        this.report = report;
        this.alerts = alerts;
    }

    /** Timer entry point. */
    @SuppressWarnings("unchecked")
    public void check() throws SQLException {
        Map<String, Object> current = report.generate();
        for (Map<String, Object> check : (List<Map<String, Object>>) current.get("checks")) {
            String name = String.valueOf(check.get("name"));
            if ("breach".equals(check.get("status"))) {
                alerts.raise(ALERT_KIND, name, "data quality check " + name + " breached: " + check.get("detail")
                        + " (value " + check.get("value") + ", threshold " + check.get("threshold") + ")", check);
            } else {
                alerts.resolve(ALERT_KIND, name, "data quality check " + name + " is back within its threshold: "
                        + check.get("detail"));
            }
        }
    }
}
