/**
 * Distance of a matrix to instability (Byers 1988): Algorithm 1 brackets β(A), the distance to the
 * nearest matrix with an eigenvalue on the imaginary axis; Algorithm 2 brackets γ(A), the same for the
 * unit circle (the certificate for a discrete-time Koopman matrix K); a level-set refinement computes
 * either to full precision. {@link koopman4j.core.stability.Byers} is the entry point.
 */
package koopman4j.core.stability;
