/**
 * Benchmark dynamical systems of the papers (glycolytic oscillator, partially observed linear systems,
 * transient growth, the IEEE 39-bus swing network) and their accurate simulators, producing
 * {@link koopman4j.core.data.TrajectorySet}s.
 */
package koopman4j.systems;
