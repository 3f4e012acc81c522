package koopman4j.core.stability;

/**
 * Distance of a matrix A to the boundary of a stability region (Byers 1988, §2 and §4).
 *
 * <p>{@code lower ≤ distance ≤ upper} is the bracket of Algorithm 1 (imaginary axis) or Algorithm 2
 * (unit circle): either {@code upper ≤ 10·lower} or {@code lower = 0} and {@code upper ≤ 10τ}.
 * {@code exact} is the distance to full precision from the level-set refinement, attained on the
 * boundary at {@code omega}: the frequency ω of the point μ + iω for a half-plane Re z &lt; μ, the angle
 * θ ∈ [0, π] of the point c + r·e^{iθ} for a disk |z − c| &lt; r. Both are NaN when the refinement was
 * not asked for; {@code omega} is NaN for an unstable matrix.
 *
 * <p>{@code unstable} says A already has an eigenvalue outside the open region. The distances to
 * instability ({@link Byers#continuous}, {@link Byers#discrete}, {@link Byers#halfPlane},
 * {@link Byers#disk}) are then 0 (lower = upper = exact = 0); the raw distances to the boundary
 * ({@link Byers#imaginaryAxisDistance}, {@link Byers#unitCircleDistance}) are reported as computed.
 *
 * @param region the open stability region, e.g. {@code "Re z < 0"} or {@code "|z| < 1"}
 */
public record StabilityResult(double lower, double upper, double exact, double omega,
                              int bisectionIterations, int refinementIterations, boolean unstable, String region) {

    static StabilityResult unstable(String region) {
        return new StabilityResult(0, 0, 0, Double.NaN, 0, 0, true, region);
    }

    /** The same distances for A scaled by {@code factor} > 0 (§4: the disk |z − c| < r is r·γ((A − cI)/r)). */
    StabilityResult scaled(double factor) {
        return new StabilityResult(lower * factor, upper * factor, exact * factor, omega,
                bisectionIterations, refinementIterations, unstable, region);
    }
}
