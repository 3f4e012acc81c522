/**
 * Error metrics: one-step and rollout relative errors (ARCHITECTURE.md "Errors reported"), computed in
 * one place for every command, against any {@link koopman4j.core.metrics.Forecaster}.
 */
package koopman4j.core.metrics;
