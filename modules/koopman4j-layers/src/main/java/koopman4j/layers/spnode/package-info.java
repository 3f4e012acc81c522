/**
 * Layers of the structure-preserving neural ODE du/dt = A_L u + g(u) (seed 001, §2): the Hurwitz
 * linear operator A_L (eq. 3–5), the bilinear (eq. 6) and Lipschitz-controlled (eq. 7–8) networks
 * for g, the autoencoder (§2.4), and DL4J {@code SameDiffLayer} adapters for the first three.
 * Each layer declares named, seeded parameters, emits SameDiff variables, and evaluates itself on
 * plain arrays for certificates and tests.
 */
package koopman4j.layers.spnode;
