package koopman4j.edmd;

import koopman4j.core.data.Normalisation;

/**
 * Thin-plate spline radial basis functions (seed 000 §2.1, Fig. 1): ψ = [1, x₁ … xₙ, φ(‖z − c₁‖) …
 * φ(‖z − c_k‖)] with φ(r) = r² log r (φ(0) = 0), z the standardised state and c_j k-means++ centres
 * of the standardised training states. The constant and linear terms are the polynomial part a
 * thin-plate spline needs, and put the states at indices 1 … n in original units.
 */
public final class ThinPlateRbfDictionary implements Dictionary {

    private final Normalisation scaling;
    private final double[][] centres;

    ThinPlateRbfDictionary(Normalisation scaling, double[][] centres) {
        this.scaling = scaling;
        this.centres = centres;
    }

    @Override
    public int stateDimension() {
        return scaling.dimension();
    }

    @Override
    public int size() {
        return 1 + stateDimension() + centres.length;
    }

    @Override
    public double[][] lift(double[][] states) {
        int n = stateDimension();
        double[][] z = scaling.apply(states);
        double[][] out = new double[states.length][size()];
        for (int r = 0; r < states.length; r++) {
            double[] psi = out[r];
            psi[0] = 1;
            System.arraycopy(states[r], 0, psi, 1, n);
            for (int j = 0; j < centres.length; j++) {
                double r2 = 0;
                for (int i = 0; i < n; i++) {
                    double d = z[r][i] - centres[j][i];
                    r2 += d * d;
                }
                psi[1 + n + j] = r2 > 0 ? 0.5 * r2 * Math.log(r2) : 0; // r² log r = ½ r² log r²
            }
        }
        return out;
    }

    @Override
    public String description() {
        return "rbf, thin-plate r² log r around " + centres.length + " k-means centres on " + stateDimension()
                + " standardised states: " + size() + " functions";
    }
}
