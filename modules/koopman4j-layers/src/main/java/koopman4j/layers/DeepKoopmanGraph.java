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
 * <p>Training sees W windows x_0 … x_H of consecutive samples and minimises
 * <pre>
 *   mean_{k<H} ‖ψ(x_{k+1}) − Kψ(x_k)‖²            every one-step pair in the windows (eq. 8)
 * + w_s · mean_{k<H} ‖x_{k+1} − [Kψ(x_k)]_{1:n}‖²  the state part of eq. 8 once more
 * + w_r · mean_k ‖[K^k ψ(x_0)]_{1:n} − x_k‖²       rollout from the window start, state read back
 * + w_l · mean_k ‖K^k ψ(x_0) − ψ(x_k)‖²            the same rollout in the lifted space
 * + λ₁‖K‖²_F + λ₂ Σ‖W_i‖₁
 * </pre>
 * With H = 1 and w_s = w_r = w_l = 0 this is exactly eq. 8 on W pairs. In eq. 8 the n state entries
 * weigh as much as each of the learned dictionary functions, which the optimiser can make as easy to
 * predict as it likes; w_s gives the prediction that is actually used back its weight. The graph is shaped around
 * SameDiff's cost model (~0.3 ms per op and step on CPU, so op count, not arithmetic, is what to
 * design against): one placeholder, one dictionary pass over all W·(H+1) samples, and
 * K^k ψ(x_0) for k = 0…2^J−1 built by doubling (J = ⌈log₂(H+1)⌉ levels of two matmuls and a concat)
 * instead of H chained matmuls.
 */
public final class DeepKoopmanGraph {

    /** Placeholder [(H+1)·W, n]: block k (rows k·W … k·W+W−1) holds every window's x_k. */
    public static final String Z = "z";
    /** Placeholder of the inference graph, [rows, n]. */
    public static final String X = "x";
    public static final String LOSS = "loss";
    public static final String PSI = "psi";
    public static final String K = "K";

    /** Loss weights; stateWeight = rolloutWeight = latentWeight = 0 gives the paper's one-step loss alone. */
    public record LossWeights(double lambdaK, double lambdaTheta, double stateWeight, double rolloutWeight, double latentWeight) {
        public LossWeights {
            check("lambdaK", lambdaK);
            check("lambdaTheta", lambdaTheta);
            check("stateWeight", stateWeight);
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

    /** Fixed batch shape of one training graph: W windows of H steps (H+1 samples). */
    public record Batch(int windows, int horizon) {
        public Batch {
            if (windows < 1) {
                throw new InvalidDataException("training.batchSize must be at least 1, got " + windows);
            }
            if (horizon < 1) {
                throw new InvalidDataException("rollout horizon must be at least 1, got " + horizon);
            }
        }

        public long rows() {
            return (long) windows * (horizon + 1);
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

    /** The training graph: placeholder {@value #Z}, scalar {@value #LOSS}. */
    public static SameDiff training(DeepDictionary.Options dict, LossWeights weights, Batch batch, DataType type) {
        SameDiff sd = SameDiff.create();
        DeepDictionary dictionary = new DeepDictionary(sd, dict, type);
        SDVariable k = declareK(sd, dict.liftedDimension(), type);
        int n = dict.inputs();
        long w = batch.windows();
        long h = batch.horizon();
        SDVariable z = sd.placeHolder(Z, type, batch.rows(), n);
        SDVariable psi = dictionary.apply(sd, z, true);
        SDVariable current = rows(psi, 0, h * w);
        SDVariable next = rows(psi, w, (h + 1) * w);

        // eq. 8 over all consecutive pairs; ψ are rows, so Kψ is ψ·Kᵀ
        SDVariable residual = next.sub(sd.mmul(current, k, false, true, false));
        SDVariable loss = residual.mul(residual).sum().mul(1.0 / (h * w));
        if (weights.stateWeight() > 0) {
            SDVariable stateResidual = residual.get(SDIndex.all(), SDIndex.interval(0, n)); // ψ keeps x in its first n entries
            loss = loss.add(stateResidual.mul(stateResidual).sum().mul(weights.stateWeight() / (h * w)));
        }
        if (weights.usesRollout()) {
            SDVariable predicted = rows(rolloutByDoubling(sd, rows(psi, 0, w), k, (int) h), w, (h + 1) * w);
            double perRow = 1.0 / (h * w);
            if (weights.rolloutWeight() > 0) {
                SDVariable states = predicted.get(SDIndex.all(), SDIndex.interval(0, n));
                SDVariable truth = next.get(SDIndex.all(), SDIndex.interval(0, n)); // ψ keeps x in its first n entries
                loss = loss.add(sd.math.squaredDifference(states, truth).sum().mul(weights.rolloutWeight() * perRow));
            }
            if (weights.latentWeight() > 0) {
                loss = loss.add(sd.math.squaredDifference(predicted, next).sum().mul(weights.latentWeight() * perRow));
            }
        }
        if (weights.lambdaK() > 0) {
            loss = loss.add(sd.squaredNorm(k).mul(weights.lambdaK()));
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
