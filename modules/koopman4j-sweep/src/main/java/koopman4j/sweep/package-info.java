/**
 * Hyperparameter sweeps on Apache Spark ({@code bin/koopman4j sweep}): {@link koopman4j.sweep.Sweep} expands a
 * sweep file over any training config into runs, trains each as one Spark task through the {@code train} code
 * path, and ranks the runs by validation error only. Spark is a provided dependency: nothing else in the project carries it.
 */
package koopman4j.sweep;
