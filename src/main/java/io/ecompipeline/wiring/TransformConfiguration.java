package io.ecompipeline.wiring;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.jobs.RunRecords;
import io.ecompipeline.transform.GoldJob;
import io.ecompipeline.transform.SqlJobRunner;
import io.ecompipeline.transform.TransformJob;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/** The SQL jobs of routes/transform.yaml (transform: sql/transform, gold: sql/gold) and the run table they record in. */
@Configuration
public class TransformConfiguration implements CamelConfiguration {

    @BindToRegistry("runRecords")
    public RunRecords runRecords(DataSource dataSource, ObjectMapper json) {
        return new RunRecords(dataSource, json);
    }

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
