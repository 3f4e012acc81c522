package koopman4j.core.data;

/**
 * Per-state affine scaling z = (x − mean) / scale, fitted on training data and saved with a model so
 * that predictions come back in original units.
 */
public record Normalisation(double[] mean, double[] scale) {

    public Normalisation {
        if (mean.length != scale.length) {
            throw new InvalidDataException("normalisation has " + mean.length + " means but " + scale.length + " scales");
        }
        for (double s : scale) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new InvalidDataException("normalisation scale must be positive and finite, got " + s);
            }
        }
        mean = mean.clone();
        scale = scale.clone();
    }

    /** Mean and standard deviation of every state over all samples (a constant state gets scale 1). */
    public static Normalisation fit(TrajectorySet data) {
        int n = data.dimension();
        double[] sum = new double[n];
        double[] sumSq = new double[n];
        long count = 0;
        for (Trajectory t : data.trajectories()) {
            for (double[] x : t.states()) {
                for (int i = 0; i < n; i++) {
                    sum[i] += x[i];
                    sumSq[i] += x[i] * x[i];
                }
                count++;
            }
        }
        double[] mean = new double[n];
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = sum[i] / count;
            double var = Math.max(0, sumSq[i] / count - mean[i] * mean[i]);
            double sd = Math.sqrt(var);
            scale[i] = sd > 1e-12 * Math.max(1, Math.abs(mean[i])) ? sd : 1;
        }
        return new Normalisation(mean, scale);
    }

    public static Normalisation identity(int n) {
        double[] one = new double[n];
        java.util.Arrays.fill(one, 1);
        return new Normalisation(new double[n], one);
    }

    public int dimension() {
        return mean.length;
    }

    public double[][] apply(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int i = 0; i < rows[r].length; i++) {
                out[r][i] = (rows[r][i] - mean[i]) / scale[i];
            }
        }
        return out;
    }

    public double[][] invert(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new double[rows[r].length];
            for (int i = 0; i < rows[r].length; i++) {
                out[r][i] = rows[r][i] * scale[i] + mean[i];
            }
        }
        return out;
    }
}
