/**
 * Benchmark dynamical systems of the papers (glycolytic oscillator, partially observed linear systems,
 * transient growth, Robertson's stiff reaction, the IEEE 39-bus swing network) and their accurate
 * simulators — Dormand–Prince for the non-stiff ones, the Rosenbrock method {@link koopman4j.systems.Rodas4}
 * for the stiff ones — producing
 * {@link koopman4j.core.data.TrajectorySet}s.
 */
package koopman4j.systems;
