/**
 * The command line of the jar (picocli): {@code run} (the default), {@code generate} and {@code check-config}.
 *
 * <p>May depend on: {@code wiring}, {@code api}, {@code generate}, {@code contract}, {@code config}.
 */
package io.ecompipeline.cli;
