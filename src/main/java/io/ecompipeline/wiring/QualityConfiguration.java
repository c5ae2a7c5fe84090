package io.ecompipeline.wiring;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.observe.Alerts;
import io.ecompipeline.quality.QualityReport;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** The data-quality report ({@code GET /api/quality}, and the periodic check in routes/housekeeping.yaml). */
@Configuration
public class QualityConfiguration implements CamelConfiguration {

    @BindToRegistry("qualityReport")
    public QualityReport qualityReport(DataSource dataSource, PipelineSettings settings, Alerts alerts) {
        PipelineSettings.Quality q = settings.quality();
        return new QualityReport(dataSource, new QualityReport.Thresholds(q.window(), q.minCompleteness(),
                q.maxDuplicateRatio(), q.maxDriftFields(), q.minVolumeRatio(), q.maxVolumeRatio(), q.maxStaleness()), alerts);
    }
}
