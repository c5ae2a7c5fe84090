package io.ecompipeline.wiring;

import java.time.Clock;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.observe.Alerts;
import io.ecompipeline.quality.AnomalyDetector;
import io.ecompipeline.quality.QualityMonitor;
import io.ecompipeline.quality.QualityReport;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/**
 * Data quality: the report ({@code GET /api/quality}, read-only), the periodic check that alerts on its breaches
 * (routes/housekeeping.yaml) and the anomaly detector (the "anomalies" job, registered in {@link JobsConfiguration}).
 */
@Configuration
public class QualityConfiguration implements CamelConfiguration {

    @BindToRegistry("qualityReport")
    public QualityReport qualityReport(DataSource dataSource, PipelineSettings settings, Alerts alerts) {
        PipelineSettings.Quality q = settings.quality();
        return new QualityReport(dataSource, new QualityReport.Thresholds(q.window(), q.minCompleteness(),
                q.maxDuplicateRatio(), q.maxDriftFields(), q.minVolumeRatio(), q.maxVolumeRatio(), q.maxStaleness()), alerts,
                settings.anomalies().lookback());
    }

    @BindToRegistry("qualityMonitor")
    public QualityMonitor qualityMonitor(QualityReport qualityReport, Alerts alerts) {
        return new QualityMonitor(qualityReport, alerts);
    }

    @BindToRegistry("anomalyDetector")
    public AnomalyDetector anomalyDetector(DataSource dataSource, PipelineSettings settings, Alerts alerts) {
        PipelineSettings.Anomalies a = settings.anomalies();
        return new AnomalyDetector(dataSource, new AnomalyDetector.Settings(a.historyDays(), a.minHistory(), a.zThreshold(),
                a.minDeviation(), a.lookback(), a.minHourVolume()), alerts, Clock.systemUTC());
    }
}
