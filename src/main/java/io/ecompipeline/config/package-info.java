/**
 * Settings: every value the runtime reads, typed and validated at once ({@link io.ecompipeline.config.PipelineSettings}),
 * with errors that name the environment variable to fix, and the API credentials.
 *
 * <p>May depend on: nothing else of the pipeline (the lowest room).
 */
package io.ecompipeline.config;
