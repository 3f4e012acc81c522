/**
 * Spectra of Koopman matrices: eigenvalues, Koopman modes and Koopman eigenfunctions of a learned K
 * (seed 000 §2.2, last paragraph), for E-DMD and Deep DMD alike.
 */
package koopman4j.core.spectrum;
