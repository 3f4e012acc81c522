package koopman4j.core.stability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The stability certificate of a learned linear operator (seed 002). For a discrete-time Koopman matrix
 * K (Deep DMD, E-DMD): its spectral radius ρ(K) and γ(K), the distance to the nearest matrix with an
 * eigenvalue on the unit circle (Algorithm 2). For a continuous-time operator A that must stay left of
 * the line Re z = μ (the SP-NODE's A_L, seed 001 eq. 3–5): its spectral abscissa and β(A − μI), the
 * distance to the nearest matrix with an eigenvalue on that line (Algorithm 1, §4). Both carry Byers'
 * bracket and the refined value. A distance well above 0 certifies that the linear part decays and
 * stays so under perturbations smaller than it; 0 means the operator is already unstable. A learned
 * oscillator sits on the circle, so its γ(K) is tiny by design.
 *
 * @param region        where the operator must keep its spectrum
 * @param spectralBound ρ(K) for {@link Region#UNIT_CIRCLE}, the spectral abscissa max Re λ(A) for
 *                      {@link Region#HALF_PLANE}
 * @param mu            the line Re z = μ of {@link Region#HALF_PLANE}; 0 for {@link Region#UNIT_CIRCLE}
 * @param distance      Byers' bracket and refined distance to instability
 */
public record StabilityCertificate(Region region, double spectralBound, double mu, StabilityResult distance) {

    /** The stability region a certificate is about. */
    public enum Region {
        /** |z| &lt; 1: a discrete-time operator such as a Koopman matrix K, certified by γ(K). */
        UNIT_CIRCLE,
        /** Re z &lt; μ: a continuous-time operator such as the SP-NODE's A_L, certified by β(A − μI). */
        HALF_PLANE
    }

    /** The certificate of a discrete-time Koopman matrix K: ρ(K) and γ(K) (Algorithm 2, refined). */
    public static StabilityCertificate discrete(double[][] k) {
        return new StabilityCertificate(Region.UNIT_CIRCLE, Spectrum.radius(k), 0, Byers.discrete(k, Byers.DEFAULT_TOL, true));
    }

    /** The certificate of a continuous-time operator A that must stay left of Re z = μ: its abscissa and β(A − μI). */
    public static StabilityCertificate halfPlane(double[][] a, double mu) {
        return new StabilityCertificate(Region.HALF_PLANE, Spectrum.abscissa(a), mu, Byers.halfPlane(a, mu, Byers.DEFAULT_TOL, true));
    }

    /** Whether the operator already has an eigenvalue outside its region (the distance is then 0). */
    public boolean unstable() {
        return distance.unstable();
    }

    /**
     * The JSON of metrics.json's and {@code evaluate}'s {@code stability} (ARCHITECTURE.md "Errors reported"):
     * {@code {spectral_radius, distance_to_unit_circle: {lower, upper, exact, theta}, unstable}} or
     * {@code {spectral_abscissa, mu, distance_to_line_re_mu: {lower, upper, exact, omega}, unstable}}.
     */
    public ObjectNode toJson() {
        ObjectNode node = new ObjectMapper().createObjectNode();
        boolean circle = region == Region.UNIT_CIRCLE;
        if (circle) {
            node.put("spectral_radius", spectralBound);
        } else {
            node.put("spectral_abscissa", spectralBound);
            node.put("mu", mu);
        }
        ObjectNode d = node.putObject(circle ? "distance_to_unit_circle" : "distance_to_line_re_mu");
        d.put("lower", distance.lower());
        d.put("upper", distance.upper());
        putFinite(d, "exact", distance.exact());
        putFinite(d, circle ? "theta" : "omega", distance.omega());
        node.put("unstable", distance.unstable());
        return node;
    }

    /** One line, e.g. {@code ρ(K) = 0.99969, γ(K) = 0.000110: stable} or {@code max Re λ(A) = -1.25126, β(A) = 0.503: stable}. */
    @Override
    public String toString() {
        double d = Double.isFinite(distance.exact()) ? distance.exact() : distance.upper();
        String verdict = distance.unstable() ? "unstable" : "stable";
        return region == Region.UNIT_CIRCLE
                ? String.format(Locale.ROOT, "ρ(K) = %.5f, γ(K) = %.3g: %s", spectralBound, d, verdict)
                : mu == 0 ? String.format(Locale.ROOT, "max Re λ(A) = %.5f, β(A) = %.3g: %s", spectralBound, d, verdict)
                : String.format(Locale.ROOT, "max Re λ(A) = %.5f, β(A − μI) = %.3g with μ = %s: %s", spectralBound, d, mu, verdict);
    }

    /** Writes {@code value}, or null where it is NaN or infinite (JSON has neither). */
    public static void putFinite(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
