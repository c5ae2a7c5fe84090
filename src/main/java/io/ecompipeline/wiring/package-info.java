/**
 * Wiring: the configuration classes that build every bean the routes use, one per concern, registered in one
 * visible order ({@link io.ecompipeline.wiring.Wiring#CONFIGURATIONS}); every job is registered in
 * {@link io.ecompipeline.wiring.JobsConfiguration}. Routes say what flows where; the beans built here say how.
 *
 * <p>May depend on: every package except {@code cli}.
 */
package io.ecompipeline.wiring;
