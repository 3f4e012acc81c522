/**
 * Benchmark dynamical systems of the papers (glycolytic oscillator, partially observed linear systems,
 * transient growth, Robertson's stiff reaction, the IEEE 39-bus swing network, the Kuramoto–Sivashinsky
 * PDE) and their accurate simulators — Dormand–Prince for the non-stiff ones, the Rosenbrock method
 * {@link koopman4j.systems.Rodas4} for the stiff ones, a spectral ETDRK4 solver for the PDE — producing
 * {@link koopman4j.core.data.TrajectorySet}s through {@link koopman4j.systems.TrajectorySampler}.
 */
package koopman4j.systems;
