package io.ecompipeline.jobs;

import java.util.Map;

/** The work of an operational job. Returns figures worth reporting (rows affected, hours touched, ...). */
@FunctionalInterface
public interface Job {

    Map<String, Object> run(String jobId) throws Exception;
}
