package io.ecompipeline.wiring;

import javax.sql.DataSource;

import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.jobs.RunRecords;
import io.ecompipeline.transform.GoldJob;
import io.ecompipeline.transform.SqlJobRunner;
import io.ecompipeline.transform.TransformJob;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** The SQL jobs of routes/transform.yaml (transform: sql/transform, gold: sql/gold); their runs are in the run table. */
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
        return new SqlJobRunner(dataSource, records, new GoldJob(), j.goldSql(), j.lockTimeout());
    }
}
