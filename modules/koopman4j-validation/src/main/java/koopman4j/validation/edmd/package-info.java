/**
 * E-DMD baselines (seed 000 §2.1, eq. 3–6): hand-made dictionaries (Legendre, Hermite, monomial,
 * thin-plate RBF, trigonometric for angle states), least-squares and group-lasso (FISTA) regression
 * for K, model selection, and the {@link koopman4j.validation.edmd.Edmd} model that the deep models
 * are compared against.
 */
package koopman4j.validation.edmd;
