/**
 * E-DMD (seed 000 §2.1, eq. 3–6), a Koopman model beside Deep DMD and the SP-NODE: hand-made
 * dictionaries (Legendre, Hermite, monomial, thin-plate RBF, trigonometric for angle states),
 * least-squares and group-lasso (FISTA) regression for K, model selection over a sweep, and the
 * immutable {@link koopman4j.edmd.Edmd} model ({@code Edmd.fit(data, options)}). Depends on core only.
 */
package koopman4j.edmd;
