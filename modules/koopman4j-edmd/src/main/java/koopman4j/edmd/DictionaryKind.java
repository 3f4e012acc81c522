package koopman4j.edmd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;
import koopman4j.core.data.TrajectorySet;

/**
 * The built-in E-DMD dictionaries (seed 000 §2.1, Fig. 1), by their command-line names, and the
 * factory that fits one to training data.
 */
public enum DictionaryKind {
    /** Tensor products of Legendre polynomials P_k, total degree ≤ p, on states scaled to [−1, 1]. */
    LEGENDRE("legendre"),
    /** Tensor products of probabilists' Hermite polynomials He_k, total degree ≤ p, on standardised states. */
    HERMITE("hermite"),
    /** All monomials with cross terms, total degree ≤ p, on states scaled to [−1, 1]. */
    MONOMIAL("monomial"),
    /** Thin-plate splines r² log r around k-means centres of the standardised states. */
    RBF("rbf"),
    /** sin and cos of harmonics 1 … p of the angle states and their differences, with all states linearly ({@link TrigDictionary}). */
    TRIG("trig");

    private final String id;

    DictionaryKind(String id) {
        this.id = id;
    }

    /** The command-line name: legendre, hermite, monomial, rbf or trig. */
    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static DictionaryKind parse(String name) {
        for (DictionaryKind k : values()) {
            if (k.id.equals(name)) {
                return k;
            }
        }
        throw new InvalidDataException("unknown dictionary '" + name + "'; expected legendre, hermite, monomial, rbf or trig");
    }

    /**
     * Whether the size is set by a degree (the total degree of legendre, hermite and monomial, the number
     * of harmonics of trig) rather than a number of centres (rbf).
     */
    public boolean sizedByDegree() {
        return this != RBF;
    }

    /** Whether it needs to be told which states are angles (trig). */
    public boolean needsAngles() {
        return this == TRIG;
    }

    /**
     * m on n states: C(n+p, p) for the polynomial kinds (one function per exponent vector of total
     * degree ≤ p, the constant and the n states included), 1 + n + centres for rbf, 1 + n + p·q·(q+1)
     * for trig on q angle states; Long.MAX_VALUE when it does not fit in a long.
     */
    public long size(int n, int degree, int centres, int angles) {
        if (this == RBF) {
            return 1L + n + centres;
        }
        if (this == TRIG) {
            return TrigDictionary.size(n, degree, angles);
        }
        long c = 1;
        try {
            for (int k = 1; k <= degree; k++) {
                c = Math.multiplyExact(c, (long) n + k) / k; // C(n+k, k) = C(n+k−1, k−1)·(n+k)/k, exact
            }
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return c;
    }

    /**
     * Fits this dictionary to the states of {@code train}: scaling from their min/max (legendre,
     * monomial) or mean/standard deviation (hermite, rbf), for rbf {@code centres} k-means++ centres
     * seeded by {@code seed}, for trig the {@code angles} (1-based state numbers; trig needs no
     * scaling). {@code degree} is ignored by rbf, {@code centres} by the others, {@code angles} by all
     * but trig.
     */
    public DictionaryParameters fit(TrajectorySet train, int degree, int centres, List<Integer> angles, long seed) {
        double[][] noCentres = new double[0][];
        int[] noAngles = new int[0];
        return switch (this) {
            case LEGENDRE, MONOMIAL -> new DictionaryParameters(this, degree, minMaxScaling(train), noCentres, noAngles);
            case HERMITE -> new DictionaryParameters(this, degree, Normalisation.fit(train), noCentres, noAngles);
            case RBF -> {
                Normalisation z = Normalisation.fit(train);
                double[][] points = z.apply(allStates(train));
                yield new DictionaryParameters(this, 0, z, KMeans.centres(points, centres, seed), noAngles);
            }
            case TRIG -> new DictionaryParameters(this, degree, Normalisation.identity(train.dimension()), noCentres,
                    angles.stream().mapToInt(Integer::intValue).toArray());
        };
    }

    /** z = (x − (max+min)/2) / ((max−min)/2) maps the training range of every state onto [−1, 1]. */
    private static Normalisation minMaxScaling(TrajectorySet train) {
        int n = train.dimension();
        double[] min = new double[n];
        double[] max = new double[n];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] x : allStates(train)) {
            for (int i = 0; i < n; i++) {
                min[i] = Math.min(min[i], x[i]);
                max[i] = Math.max(max[i], x[i]);
            }
        }
        double[] centre = new double[n];
        double[] halfRange = new double[n];
        for (int i = 0; i < n; i++) {
            centre[i] = 0.5 * (max[i] + min[i]);
            double h = 0.5 * (max[i] - min[i]);
            halfRange[i] = h > 1e-12 * Math.max(1, Math.abs(centre[i])) ? h : 1; // a constant state stays put
        }
        return new Normalisation(centre, halfRange);
    }

    private static double[][] allStates(TrajectorySet data) {
        return data.trajectories().stream().flatMap(t -> java.util.Arrays.stream(t.states())).toArray(double[][]::new);
    }
}
