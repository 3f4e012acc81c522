package koopman4j.layers.spnode;

import koopman4j.layers.Activation;

/** Plain double arithmetic of dense layers, the reference the SameDiff graphs are tested against. */
final class Dense {

    private Dense() {
    }

    /** rows·W + b for rows [batch, in], W [in, out] row-major, b [out]. */
    static double[][] affine(double[][] rows, double[] w, double[] b, int in, int out) {
        double[][] y = new double[rows.length][out];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < out; j++) {
                double s = b[j];
                for (int k = 0; k < in; k++) {
                    s += rows[r][k] * w[k * out + j];
                }
                y[r][j] = s;
            }
        }
        return y;
    }

    /** σ applied to every entry (CReLU: [relu(x), relu(−x)] per row, twice as wide). */
    static double[][] activate(Activation activation, double[][] x) {
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int width = x[r].length;
            y[r] = new double[activation.outputWidth(width)];
            for (int j = 0; j < width; j++) {
                double v = x[r][j];
                switch (activation) {
                    case ELU -> y[r][j] = v > 0 ? v : Math.expm1(v);
                    case RELU -> y[r][j] = Math.max(0, v);
                    case TANH -> y[r][j] = Math.tanh(v);
                    case CRELU -> {
                        y[r][j] = Math.max(0, v);
                        y[r][width + j] = Math.max(0, -v);
                    }
                }
            }
        }
        return y;
    }
}
