package koopman4j.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import koopman4j.core.stability.Byers;
import koopman4j.core.stability.Spectrum;
import koopman4j.core.stability.StabilityResult;

/**
 * The stability certificate of a discrete-time Koopman matrix K (seed 002, Algorithm 2): its
 * spectral radius and γ(K), the distance to the nearest matrix with an eigenvalue on the unit circle
 * (bracket and refined value). A learned oscillator sits on the circle (γ ≈ 0); a γ well above 0 with
 * radius < 1 certifies that rollouts decay.
 */
public final class StabilityCertificate {

    private StabilityCertificate() {
    }

    public static ObjectNode discrete(double[][] k) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("spectral_radius", Spectrum.radius(k));
        return putDistance(node, "distance_to_unit_circle", "theta", Byers.discrete(k, Byers.DEFAULT_TOL, true));
    }

    /**
     * The certificate of a continuous-time operator A_L that should stay left of μ (seed 001, eq. 3–5):
     * its spectral abscissa and β(A_L − μI), the distance to the nearest matrix with an eigenvalue on the
     * line Re z = μ (seed 002, Algorithm 1, bracket and refined value).
     */
    public static ObjectNode halfPlane(double[][] a, double mu) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("spectral_abscissa", Spectrum.abscissa(a));
        node.put("mu", mu);
        return putDistance(node, "distance_to_line_re_mu", "omega", Byers.halfPlane(a, mu, Byers.DEFAULT_TOL, true));
    }

    /** A Byers bracket (and refined value) under {@code field}, where on the boundary it is reached under {@code at}. */
    private static ObjectNode putDistance(ObjectNode node, String field, String at, StabilityResult distance) {
        ObjectNode d = node.putObject(field);
        d.put("lower", distance.lower());
        d.put("upper", distance.upper());
        putFinite(d, "exact", distance.exact());
        putFinite(d, at, distance.omega());
        node.put("unstable", distance.unstable());
        return node;
    }

    /** Writes {@code value}, or null where it is NaN or infinite (JSON has neither). */
    public static void putFinite(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field); // JSON has no NaN
        }
    }
}
