package koopman4j.layers;

import koopman4j.core.data.InvalidDataException;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff graphs of a Deep DMD model (seed 000, eq. 8): the dictionary ψ = [x, N_θ(x)] and the
 * Koopman matrix K, learned jointly.
 *
 * <p>The training loss is
 * <pre>
 *   mean‖ψ(x₊) − Kψ(x)‖²                       one-step pairs (eq. 8)
 * + w_r · mean_k ‖[K^k ψ(x₀)]_{1:n} − x_k‖²      rollout windows, k = 1…H, state read back
 * + w_l · mean_k ‖K^k ψ(x₀) − ψ(x_k)‖²           the same windows in the lifted space
 * + λ₁‖K‖²_F + λ₂ Σ‖W_i‖₁
 * </pre>
 * All ψ evaluations share one pass of the dictionary over the stacked inputs, and K^k ψ(x₀) for
 * k = 0…2^J−1 is built by doubling (J = ⌈log₂(H+1)⌉ levels of two matmuls and a concat) instead of H
 * chained matmuls: SameDiff pays ~0.3 ms per op and step on CPU, so op count, not arithmetic, is the
 * cost to design against.
 */
public final class DeepKoopmanGraph {

    public static final String X = "x";
    public static final String X_NEXT = "xNext";
    public static final String X0 = "x0";
    public static final String XS = "xs";
    public static final String LOSS = "loss";
    public static final String PSI = "psi";
    public static final String K = "K";

    /** Loss weights; rolloutWeight = latentWeight = 0 gives the paper's one-step loss alone. */
    public record LossWeights(double lambdaK, double lambdaTheta, double rolloutWeight, double latentWeight) {
        public LossWeights {
            check("lambdaK", lambdaK);
            check("lambdaTheta", lambdaTheta);
            check("rolloutWeight", rolloutWeight);
            check("latentWeight", latentWeight);
        }

        private static void check(String name, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new InvalidDataException("model.loss." + name + " must be a finite number ≥ 0, got " + v);
            }
        }

        public boolean usesRollout() {
            return rolloutWeight > 0 || latentWeight > 0;
        }
    }

    /** Fixed batch shape of one training graph: pairs, rollout windows and their horizon. */
    public record Batch(int pairs, int windows, int horizon) {
        public Batch {
            if (pairs < 1) {
                throw new InvalidDataException("training.batchSize must be at least 1, got " + pairs);
            }
            if (windows < 0 || horizon < 0 || (windows > 0) != (horizon > 0)) {
                throw new InvalidDataException("rollout windows and horizon must both be positive or both 0, got "
                        + windows + " and " + horizon);
            }
        }
    }

    private DeepKoopmanGraph() {
    }

    /**
     * The inference graph: placeholder {@value #X} [rows, n] → {@value #PSI} [rows, m]; variable
     * {@value #K} [m, m] with ψ₊ = Kψ.
     */
    public static SameDiff inference(DeepDictionary.Options dict, DataType type) {
        SameDiff sd = SameDiff.create();
        DeepDictionary dictionary = new DeepDictionary(sd, dict, type);
        declareK(sd, dict.liftedDimension(), type);
        SDVariable x = sd.placeHolder(X, type, -1, dict.inputs());
        dictionary.apply(sd, x, false).rename(PSI);
        return sd;
    }

    /**
     * The training graph with scalar {@value #LOSS}; placeholders {@value #X}, {@value #X_NEXT}
     * [pairs, n], and when the batch has windows {@value #X0} [windows, n] and {@value #XS}
     * [horizon·windows, n] holding x_1 … x_H block by block (all windows' x_1 first).
     */
    public static SameDiff training(DeepDictionary.Options dict, LossWeights weights, Batch batch, DataType type) {
        SameDiff sd = SameDiff.create();
        DeepDictionary dictionary = new DeepDictionary(sd, dict, type);
        SDVariable k = declareK(sd, dict.liftedDimension(), type);
        int n = dict.inputs();
        int p = batch.pairs();
        int w = batch.windows();
        int h = batch.horizon();
        boolean rollout = weights.usesRollout() && w > 0;
        boolean latent = rollout && weights.latentWeight() > 0;

        SDVariable x = sd.placeHolder(X, type, p, n);
        SDVariable xNext = sd.placeHolder(X_NEXT, type, p, n);
        SDVariable x0 = rollout ? sd.placeHolder(X0, type, w, n) : null;
        SDVariable xs = rollout ? sd.placeHolder(XS, type, (long) w * h, n) : null;

        // one dictionary pass over everything that needs ψ
        SDVariable stacked = !rollout ? sd.concat(0, x, xNext)
                : latent ? sd.concat(0, x, xNext, x0, xs) : sd.concat(0, x, xNext, x0);
        SDVariable psi = dictionary.apply(sd, stacked, true);
        SDVariable psiX = rows(psi, 0, p);
        SDVariable psiNext = rows(psi, p, 2 * p);

        // eq. 8: ‖ψ(x₊) − Kψ(x)‖², ψ rows so Kψ is ψ·Kᵀ
        SDVariable loss = sd.math.squaredDifference(psiNext, sd.mmul(psiX, k, false, true, false)).sum().div(p);
        if (rollout) {
            SDVariable powers = rolloutByDoubling(sd, rows(psi, 2 * p, 2 * p + w), k, h);
            SDVariable predicted = rows(powers, w, (h + 1) * w);
            SDVariable states = predicted.get(SDIndex.all(), SDIndex.interval(0, n));
            double perRow = 1.0 / ((double) w * h);
            if (weights.rolloutWeight() > 0) {
                loss = loss.add(sd.math.squaredDifference(states, xs).sum().mul(weights.rolloutWeight() * perRow));
            }
            if (latent) {
                SDVariable psiXs = rows(psi, 2 * p + w, 2 * p + w + w * h);
                loss = loss.add(sd.math.squaredDifference(predicted, psiXs).sum().mul(weights.latentWeight() * perRow));
            }
        }
        if (weights.lambdaK() > 0) {
            loss = loss.add(k.mul(k).sum().mul(weights.lambdaK()));
        }
        if (weights.lambdaTheta() > 0) {
            for (SDVariable wi : dictionary.weights()) {
                loss = loss.add(wi.norm1().mul(weights.lambdaTheta()));
            }
        }
        loss.rename(LOSS);
        sd.setLossVariables(LOSS);
        return sd;
    }

    /** Rows [from, to) of a matrix variable. */
    private static SDVariable rows(SDVariable v, long from, long to) {
        return v.get(SDIndex.interval(from, to), SDIndex.all());
    }

    /**
     * Stacks ψ₀, Kψ₀, …, K^{2^J−1}ψ₀ block by block (rows ψ₀ᵀ per window), 2^J ≥ horizon+1: each level
     * appends the current stack advanced by K^{2^j}, then squares that power.
     */
    static SDVariable rolloutByDoubling(SameDiff sd, SDVariable psi0, SDVariable k, int horizon) {
        SDVariable stack = psi0;
        SDVariable power = k;
        for (int filled = 1; filled < horizon + 1; filled *= 2) {
            stack = sd.concat(0, stack, sd.mmul(stack, power, false, true, false));
            if (2 * filled < horizon + 1) {
                power = sd.mmul(power, power);
            }
        }
        return stack;
    }

    private static SDVariable declareK(SameDiff sd, int m, DataType type) {
        return sd.var(K, Nd4j.eye(m).castTo(type)); // K = I: ψ is constant in time until trained
    }
}
