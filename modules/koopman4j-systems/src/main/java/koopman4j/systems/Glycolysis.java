package koopman4j.systems;

import java.util.List;
import java.util.Random;

/**
 * The 7-species glycolytic oscillator of Daniels &amp; Nemenman (2015), as used by Deep DMD (seed 000,
 * §3.2, eq. 11), with the parameters that make it oscillate (limit-cycle period ≈ 1.17).
 */
public final class Glycolysis implements ContinuousSystem {

    // Daniels & Nemenman 2015, Table 1; ψ is the paper's μ in eq. 11.
    static final double J0 = 2.5;
    static final double K1_RATE = 100;
    static final double K2 = 6;
    static final double K3 = 16;
    static final double K4 = 100;
    static final double K5 = 1.28;
    static final double K6 = 12;
    static final double K = 1.8;
    static final double KAPPA = 13;
    static final double Q = 4;
    static final double K1_INHIBITION = 0.52;
    static final double PSI = 0.1;
    static final double N = 1;
    static final double A = 4;

    /** Initial states are uniform in these boxes (Daniels & Nemenman 2015). */
    static final double[][] INITIAL_BOX = {
        {0.15, 1.60}, {0.19, 2.16}, {0.04, 0.20}, {0.10, 0.35}, {0.08, 0.30}, {0.14, 2.67}, {0.05, 0.10}};

    @Override
    public String name() {
        return "glycolysis";
    }

    @Override
    public List<String> stateNames() {
        return List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7");
    }

    @Override
    public void derivative(double[] s, double[] d) {
        double s1 = s[0], s2 = s[1], s3 = s[2], s4 = s[3], s5 = s[4], s6 = s[5], s7 = s[6];
        double v1 = K1_RATE * s1 * s6 / (1 + Math.pow(s6 / K1_INHIBITION, Q));
        double v2 = K2 * s2 * (N - s5);
        double v3 = K3 * s3 * (A - s6);
        double v4 = K4 * s4 * s5;
        double v6 = K6 * s2 * s5;
        double leak = KAPPA * (s4 - s7);
        d[0] = J0 - v1;
        d[1] = 2 * v1 - v2 - v6;
        d[2] = v2 - v3;
        d[3] = v3 - v4 - leak;
        d[4] = v2 - v4 - v6;
        d[5] = -2 * v1 + 2 * v3 - K5 * s6;
        d[6] = PSI * leak - K * s7;
    }

    @Override
    public double[] sampleInitialState(Random rng) {
        double[] x = new double[INITIAL_BOX.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = INITIAL_BOX[i][0] + (INITIAL_BOX[i][1] - INITIAL_BOX[i][0]) * rng.nextDouble();
        }
        return x;
    }
}
