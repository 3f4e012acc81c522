/**
 * Dense linear algebra on plain row-major arrays: the action of the matrix exponential
 * ({@link koopman4j.core.linalg.Expmv}, Al-Mohy &amp; Higham 2011), the dense exponential
 * ({@link koopman4j.core.linalg.Expm}, Bader, Blanes &amp; Casas 2019) and the matrix product they share
 * ({@link koopman4j.core.linalg.Gemm}), in single and double precision.
 */
package koopman4j.core.linalg;
