package koopman4j.layers.integrators;

import koopman4j.core.data.InvalidDataException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The time-integrated loss of seed 001, eq. 20, a trapezoid rule for ∫ MSE(t) dt over the grid:
 * <pre>
 *   L = Σ_{k=0}^{K−1} ½ (e_{k+1} + e_k)(t_{k+1} − t_k) = Σ_k w_k e_k,
 *   e_k = mean over the batch and the d observed components of (U_k − f_D(ũ_k))²,
 * </pre>
 * with the trapezoid weights w_k of {@link TimeGrid#trapezoidWeights}: on a non-uniform grid a state
 * counts by the time it stands for, and e₀ (the reconstruction f_D(f_E(U₀)) at t₀) is included as in
 * the paper. The loss is not divided by t_K − t₀. Without an autoencoder, f_D is the identity.
 */
public final class TimeIntegratedLoss {
    private static final String ROUTINE = "time-integrated loss";

    private TimeIntegratedLoss() {
    }

    /**
     * Eq. 20 on stacked blocks: predicted f_D(ũ) and observed U, both [(K+1)·B, d], block k = time t_k
     * (the layout of {@link Rollout#stacked}).
     */
    public static SDVariable build(SameDiff sd, SDVariable predicted, SDVariable observed, TimeGrid grid, int batch, int dims) {
        if (batch < 1 || dims < 1) {
            throw new InvalidDataException(ROUTINE + ": batch " + batch + " and dimension " + dims + " must be at least 1");
        }
        long rows = (long) (grid.steps() + 1) * batch;
        Checks.dimension(ROUTINE, "predicted", predicted, 0, rows, "(K+1)·B for the grid and batch");
        Checks.dimension(ROUTINE, "observed", observed, 0, rows, "(K+1)·B for the grid and batch");
        Checks.dimension(ROUTINE, "predicted", predicted, 1, dims, "the observed dimension");
        Checks.dimension(ROUTINE, "observed", observed, 1, dims, "the observed dimension");
        double[] w = grid.trapezoidWeights();
        INDArray weights = Nd4j.create(predicted.dataType(), rows, 1);
        for (int k = 0; k < w.length; k++) {
            for (int b = 0; b < batch; b++) {
                weights.putScalar((long) k * batch + b, 0, w[k] / ((double) batch * dims));
            }
        }
        return sd.math.squaredDifference(predicted, observed).mul(sd.constant(weights)).sum();
    }

    /** Eq. 20 on arrays [K+1][B][d]: the reference for the graph and the figure for evaluation. */
    public static double evaluate(double[][][] predicted, double[][][] observed, TimeGrid grid) {
        if (predicted.length != grid.steps() + 1 || observed.length != grid.steps() + 1) {
            throw new InvalidDataException(ROUTINE + ": " + predicted.length + " predicted and " + observed.length
                    + " observed times for a grid of " + (grid.steps() + 1));
        }
        double[] w = grid.trapezoidWeights();
        double loss = 0;
        for (int k = 0; k < w.length; k++) {
            int batch = observed[k].length;
            int dims = observed[k][0].length;
            if (predicted[k].length != batch) {
                throw new InvalidDataException(ROUTINE + ": time " + k + " has " + predicted[k].length + " predicted and " + batch + " observed states");
            }
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                if (predicted[k][b].length != dims || observed[k][b].length != dims) {
                    throw new InvalidDataException(ROUTINE + ": time " + k + " state " + b + " has dimension " + predicted[k][b].length
                            + " predicted, " + observed[k][b].length + " observed, expected " + dims);
                }
                for (int i = 0; i < dims; i++) {
                    double d = predicted[k][b][i] - observed[k][b][i];
                    sum += d * d;
                }
            }
            loss += w[k] * sum / ((double) batch * dims);
        }
        return loss;
    }
}
