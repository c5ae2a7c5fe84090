/**
 * The command line of the jar (picocli): {@code run} (the default), {@code generate}, {@code check-config} and
 * {@code migrate}.
 *
 * <p>May depend on: {@code wiring}, {@code api}, {@code generate}, {@code contract}, {@code config}.
 */
package io.ecompipeline.cli;
