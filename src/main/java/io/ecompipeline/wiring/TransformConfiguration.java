package io.ecompipeline.wiring;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.jobs.RunRecords;
import io.ecompipeline.transform.CatalogJob;
import io.ecompipeline.transform.GoldJob;
import io.ecompipeline.transform.SqlJobRunner;
import io.ecompipeline.transform.TransformJob;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/**
 * The SQL jobs of routes/transform.yaml and routes/catalog.yaml (transform: sql/transform, gold: sql/gold, catalog:
 * sql/catalog); their runs are in the run table.
 */
@Configuration
public class TransformConfiguration implements CamelConfiguration {

    @BindToRegistry("transformRunner")
    public SqlJobRunner transformRunner(DataSource dataSource, RunRecords records, PipelineSettings settings) {
        PipelineSettings.Jobs j = settings.jobs();
        return new SqlJobRunner(dataSource, records, new TransformJob(j.lateThreshold(), settings.reporting().currency()),
                j.transformSql(), j.lockTimeout());
    }

    @BindToRegistry("goldRunner")
    public SqlJobRunner goldRunner(DataSource dataSource, RunRecords records, PipelineSettings settings) {
        PipelineSettings.Jobs j = settings.jobs();
        return new SqlJobRunner(dataSource, records, new GoldJob(settings.warehouse().attributionWindow()), j.goldSql(),
                j.lockTimeout());
    }

    @BindToRegistry("catalogRunner")
    public SqlJobRunner catalogRunner(DataSource dataSource, RunRecords records, PipelineSettings settings) {
        PipelineSettings.Warehouse w = settings.warehouse();
        CatalogJob job = new CatalogJob(new CatalogJob.Thresholds(w.velocityDays(), w.lowCoverDays(), w.overstockCoverDays(),
                w.deadStockDays(), w.attributionWindow()));
        return new SqlJobRunner(dataSource, records, job, w.catalogSql(), settings.jobs().lockTimeout());
    }
}
