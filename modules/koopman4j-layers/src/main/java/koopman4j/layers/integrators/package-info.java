/**
 * Time integrators of the structure-preserving neural ODE du/dt = Au + g(u) (seed 001, §3–4): the
 * expmv op as an unrolled SameDiff graph (eq. 18–19), the ETD1 step of eq. 17, the IMEX and RK4
 * baselines, the rollout on a non-uniform time grid and the time-integrated loss of eq. 20 — each with
 * a plain-array twin (no SameDiff) for evaluation and deployment.
 */
package koopman4j.layers.integrators;
