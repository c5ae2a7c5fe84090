package io.ecompipeline.transform;

import io.ecompipeline.it.TestDb;
import io.ecompipeline.it.TestEs;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.wiring.Wiring;
import org.apache.camel.BeanInject;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that run the transform, gold and index jobs of the real configuration (camel-test-main) against
 * the real PostgreSQL and Elasticsearch: the wiring of the runtime (the configuration classes Wiring lists; no package
 * scan, which would also pick up RouteBuilders that unit tests declare inline), the job registry, and both services
 * checked up front.
 */
abstract class TransformJobsIT {

    protected static final TestEs ES = new TestEs();

    @BeanInject("jobRegistry")
    JobRegistry jobs;

    @Configure
    protected void configure(MainConfigurationProperties configuration) {
        Wiring.addTo(configuration);
    }

    @BeforeAll
    static void services() {
        TestDb.count("SELECT 1");
        ES.requireUp();
    }
}
