package koopman4j.trainer.fused;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import koopman4j.layers.DeepDictionary;
import koopman4j.layers.DeepKoopmanGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One Deep DMD training step — the loss of {@link DeepKoopmanGraph#training}, its gradient and the
 * optimiser update — as a fixed sequence of BLAS calls and vectorised loops over buffers allocated
 * once (float32, CPU). SameDiff M2.1 pays tens of microseconds of bookkeeping per op and step and runs
 * ELU and tanh through slow scalar loops; here the step's cost is its GEMMs plus a few passes over
 * each activation.
 *
 * <p>Parameters live in one flat buffer (dict/w0, dict/b0, …, dict/w{depth}, dict/b{depth}, K, the
 * SameDiff graph's names and shapes), so the optimiser is one ND4J updater op over all of them, with
 * the same arithmetic SameDiff applies per variable. Rows of a batch follow {@link DeepKoopmanGraph#Z}:
 * block k of W rows holds every window's x_k. The rollout K^k ψ(x₀) is the chain ψ₀Kᵀ, ψ₀Kᵀ², …
 * (the graph doubles powers of K to save SameDiff ops; the sums are the same up to rounding).
 */
public final class DeepKoopmanStep {

    private final DeepDictionary.Options dict;
    private final DeepKoopmanGraph.LossWeights weights;
    private final int windows;
    private final int horizon;
    private final int rows;
    private final int n;
    private final int m;
    private final Activation activation;

    private final INDArray params;
    private final INDArray grads;
    private final GradientUpdater<?> updater;
    /** The optimiser's moments (null for plain SGD), and how many updates they have seen. */
    private final INDArray updaterState;
    private int iteration;
    private final List<String> names = new ArrayList<>();
    private final List<long[]> shapes = new ArrayList<>();
    private final List<Long> starts = new ArrayList<>();

    // parameters and their gradients, as views of the flat buffers
    private final Block[] w;
    private final Block[] b;
    private final Block[] dw;
    private final Block[] db;
    private final Block k;
    private final Block flatGrad;
    private final Block dk;

    // h[i] is layer i's input (h[0] = ψ's first n columns = z), activations[i] its output, pre[i] its pre-activation
    private final Block psi;
    private final Block[] h;
    private final Block[] activations;
    private final Block[] pre;
    private final Block[] mask;
    private SplittableRandom dropoutRng;

    // backward buffers
    private final Block residual;
    private final Block dPsi;
    private final Block[] g;
    private final Block dPre;
    private final Block ones;
    private final Block rollout;
    private final Block rolloutError;
    private final float[] oneStepWeights;
    private final float[] rolloutWeights;

    /**
     * @param updater     the optimiser and its learning-rate schedule (the trainer's Adam or AdaGrad)
     * @param dropoutSeed seed of the dropout masks (unused without dropout)
     */
    public DeepKoopmanStep(DeepDictionary.Options dict, DeepKoopmanGraph.LossWeights weights, DeepKoopmanGraph.Batch batch,
                           IUpdater updater, long dropoutSeed) {
        this.dict = dict;
        this.weights = weights;
        this.windows = batch.windows();
        this.horizon = batch.horizon();
        if (batch.rows() > Integer.MAX_VALUE / Math.max(dict.liftedDimension(), dict.activation().outputWidth(dict.width()))) {
            throw new InvalidDataException("training.batchSize: a batch of " + batch.rows() + " samples is too large for one step");
        }
        this.rows = (int) batch.rows();
        this.n = dict.inputs();
        this.m = dict.liftedDimension();
        this.activation = dict.activation();
        int depth = dict.depth();
        int hidden = activation.outputWidth(dict.width());

        long total = 0;
        int in = n;
        for (int i = 0; i <= depth; i++) {
            int out = i < depth ? dict.width() : dict.outputs();
            total = declare("dict/w" + i, total, in, out);
            total = declare("dict/b" + i, total, out);
            in = hidden;
        }
        total = declare(DeepKoopmanGraph.K, total, m, m);
        // row vectors [1, total]: the shape DL4J's updaters give their state views
        params = Nd4j.create(DataType.FLOAT, 1, total);
        grads = Nd4j.create(DataType.FLOAT, 1, total);
        long stateSize = updater.stateSize(total);
        updaterState = stateSize > 0 ? Nd4j.create(DataType.FLOAT, 1, stateSize) : null;
        this.updater = updater.instantiate(updaterState, true);

        Block flat = Block.over(params);
        flatGrad = Block.over(grads);
        w = new Block[depth + 1];
        b = new Block[depth + 1];
        dw = new Block[depth + 1];
        db = new Block[depth + 1];
        for (int i = 0; i <= depth; i++) {
            long[] ws = shapes.get(2 * i);
            w[i] = flat.reshape(starts.get(2 * i), (int) ws[0], (int) ws[1]);
            dw[i] = flatGrad.reshape(starts.get(2 * i), (int) ws[0], (int) ws[1]);
            b[i] = flat.reshape(starts.get(2 * i + 1), 1, (int) ws[1]);
            db[i] = flatGrad.reshape(starts.get(2 * i + 1), 1, (int) ws[1]);
        }
        k = flat.reshape(starts.get(2 * depth + 2), m, m);
        dk = flatGrad.reshape(starts.get(2 * depth + 2), m, m);

        psi = Block.allocate(rows, m);
        h = new Block[depth + 1];
        activations = new Block[depth];
        pre = new Block[depth];
        mask = new Block[depth];
        h[0] = psi.cols(0, n);
        for (int i = 0; i < depth; i++) {
            activations[i] = Block.allocate(rows, hidden);
            // activations are computed in place over the pre-activation, except CReLU's twice-as-wide output
            pre[i] = activation == Activation.CRELU ? Block.allocate(rows, dict.width()) : activations[i];
            boolean residualLayer = dict.residual() && i > 0;
            h[i + 1] = residualLayer || dict.dropout() > 0 ? Block.allocate(rows, hidden) : activations[i];
            mask[i] = dict.dropout() > 0 ? Block.allocate(rows, hidden) : null;
        }
        dropoutRng = new SplittableRandom(dropoutSeed);

        int pairs = horizon * windows;
        residual = Block.allocate(pairs, m);
        dPsi = Block.allocate(rows, m);
        g = new Block[] {Block.allocate(rows, hidden), Block.allocate(rows, hidden)};
        dPre = Block.allocate(rows, dict.width());
        ones = Block.allocate(1, rows);
        Kernels.fill(ones, 1f);
        rollout = weights.usesRollout() ? Block.allocate(pairs, m) : null;
        rolloutError = weights.usesRollout() ? Block.allocate(pairs, m) : null;
        oneStepWeights = columnWeights(1.0 / pairs, weights.stateWeight() / pairs);
        rolloutWeights = columnWeights(weights.latentWeight() / pairs, weights.rolloutWeight() / pairs);
    }

    private long declare(String name, long start, long... shape) {
        names.add(name);
        shapes.add(shape);
        starts.add(start);
        long size = 1;
        for (long s : shape) {
            size *= s;
        }
        return start + size;
    }

    /** Per-column weights of a squared error over ψ: {@code all} on every column plus {@code state} on the first n. */
    private float[] columnWeights(double all, double state) {
        float[] c = new float[m];
        for (int j = 0; j < m; j++) {
            c[j] = (float) (all + (j < n ? state : 0));
        }
        return c;
    }

    /** Threads the step computes with: OMP_NUM_THREADS, as for ND4J and OpenBLAS, else one per core. */
    public static int threads() {
        return Kernels.THREADS;
    }

    /** Copies parameters in by their graph names (every parameter must be given). */
    public void setParameters(Map<String, INDArray> values) {
        for (int i = 0; i < names.size(); i++) {
            INDArray v = values.get(names.get(i));
            if (v == null) {
                throw new InvalidDataException("parameters lack '" + names.get(i) + "'");
            }
            if (v.length() != length(i)) {
                throw new InvalidDataException("parameter '" + names.get(i) + "' has " + v.length() + " values, this model needs " + length(i));
            }
            view(params, i).assign(v.reshape(shapes.get(i)));
        }
    }

    /**
     * Continues where {@code previous} (the same model on another batch shape, e.g. the last curriculum
     * stage) stopped: its parameters, the optimiser's moments and its update count.
     */
    public void continueFrom(DeepKoopmanStep previous) {
        if (previous.params.length() != params.length() || !dict.equals(previous.dict)) {
            throw new IllegalArgumentException("cannot continue from a step of another model");
        }
        params.assign(previous.params);
        if (updaterState != null) {
            updaterState.assign(previous.updaterState);
        }
        iteration = previous.iteration;
    }

    /**
     * Everything an optimiser step depends on besides the batch: the flat parameters (in this step's
     * order: dict/w0, dict/b0, …, K), the optimiser's moments (empty for plain SGD; null for a fresh
     * optimiser) and its update count. A checkpoint stores it; {@link #restore} puts it back bit for bit.
     */
    public record State(float[] parameters, float[] updater, int iteration) { }

    /** A copy of the training state. */
    public State state() {
        return new State(params.dup().data().asFloat(), updaterState == null ? new float[0] : updaterState.dup().data().asFloat(),
                iteration);
    }

    /**
     * Restores a state taken by {@link #state} from a step of the same model (any batch shape); with
     * {@code updater} null the optimiser keeps its own state, fresh when this step is new.
     */
    public void restore(State state) {
        long moments = updaterState == null ? 0 : updaterState.length();
        if (state.parameters().length != params.length() || state.updater() != null && state.updater().length != moments) {
            throw new InvalidDataException("checkpoint holds " + state.parameters().length + " parameters and "
                    + (state.updater() == null ? 0 : state.updater().length) + " optimiser values; this model has "
                    + params.length() + " and " + moments);
        }
        params.assign(Nd4j.create(state.parameters(), new long[] {1, params.length()}, 'c'));
        if (updaterState != null && state.updater() != null) {
            updaterState.assign(Nd4j.create(state.updater(), new long[] {1, moments}, 'c'));
        }
        iteration = state.iteration();
    }

    /** Updates taken so far (the optimiser's iteration count; carried over by {@link #continueFrom} and {@link #restore}). */
    public int iteration() {
        return iteration;
    }

    /** Restarts the dropout masks' random stream (the trainer derives a seed per step, so a resumed run draws the same masks). */
    public void reseedDropout(long seed) {
        dropoutRng = new SplittableRandom(seed);
    }

    /** A copy of the parameters by graph name, in the graph's shapes. */
    public Map<String, INDArray> parameters() {
        return copies(params);
    }

    /** The loss on one batch z ((H+1)·W × n, row-major) with the current parameters. */
    public double loss(float[] z) {
        return forward(z);
    }

    /** Gradients of the loss at the current parameters, by graph name (for tests against SameDiff). */
    public Map<String, INDArray> gradients(float[] z) {
        forward(z);
        backward();
        return copies(grads);
    }

    /**
     * One optimiser step on batch z; returns the loss before the update. A non-finite loss or gradient
     * leaves parameters, moments and update count as they were, and the loss returned is NaN.
     */
    public double step(float[] z) {
        double loss = forward(z);
        if (!Double.isFinite(loss)) {
            return Double.NaN;
        }
        backward();
        if (!Kernels.allFinite(flatGrad)) {
            return Double.NaN;
        }
        updater.applyUpdater(grads, iteration, 0);
        params.subi(grads);
        iteration++;
        return loss;
    }

    private double forward(float[] z) {
        if (z.length != rows * n) {
            throw new IllegalArgumentException("batch has " + z.length + " values, expected " + rows + " × " + n);
        }
        Kernels.load(z, h[0]);
        for (int i = 0; i < dict.depth(); i++) {
            Blas.gemm(false, false, 1f, h[i], w[i], 0f, pre[i]);
            Kernels.biasActivation(activation, pre[i], b[i], activations[i]);
            if (dict.residual() && i > 0) {
                Kernels.sum(h[i], activations[i], h[i + 1]);
            } else if (h[i + 1] != activations[i]) {
                Kernels.copy(activations[i], h[i + 1]);
            }
            if (mask[i] != null) {
                fillDropoutMask(mask[i]);
                Kernels.multiply(mask[i], h[i + 1]);
            }
        }
        int depth = dict.depth();
        Block features = psi.cols(n, m);
        Blas.gemm(false, false, 1f, h[depth], w[depth], 0f, features);
        Kernels.addBias(features, b[depth]);

        // eq. 8: residual = ψ(x_{k+1}) − ψ(x_k)·Kᵀ over all H·W pairs; it becomes its own gradient
        int pairs = horizon * windows;
        Block current = psi.rows(0, pairs);
        Block next = psi.rows(windows, rows);
        Kernels.copy(next, residual);
        Blas.gemm(false, true, -1f, current, k, 1f, residual);
        double loss = Kernels.weightedSquares(residual, oneStepWeights);
        if (weights.usesRollout()) {
            // K^k ψ(x₀) for k = 1…H, block k−1 of the rollout; the error against ψ(x_k) becomes its gradient
            Blas.gemm(false, true, 1f, psi.rows(0, windows), k, 0f, rollout.rows(0, windows));
            for (int step = 1; step < horizon; step++) {
                Blas.gemm(false, true, 1f, rollout.rows((step - 1) * windows, step * windows), k, 0f,
                        rollout.rows(step * windows, (step + 1) * windows));
            }
            Kernels.difference(rollout, next, rolloutError);
            loss += Kernels.weightedSquares(rolloutError, rolloutWeights);
        }
        if (weights.lambdaK() > 0) {
            loss += weights.lambdaK() * sumOf(k, false);
        }
        if (weights.lambdaTheta() > 0) {
            for (Block wi : w) {
                loss += weights.lambdaTheta() * sumOf(wi, true);
            }
        }
        return loss;
    }

    private void backward() {
        int pairs = horizon * windows;
        // ∂/∂ψ(x_{k+1}) = +residual gradient, ∂/∂ψ(x_k) = −(residual gradient)·K, ∂/∂K = −(residual gradient)ᵀψ(x_k)
        Kernels.zero(dPsi.rows(0, windows));
        Kernels.copy(residual, dPsi.rows(windows, rows));
        Blas.gemm(false, false, -1f, residual, k, 1f, dPsi.rows(0, pairs));
        Blas.gemm(true, false, -1f, residual, psi.rows(0, pairs), 0f, dk);
        if (weights.usesRollout()) {
            Kernels.axpy(-1f, rolloutError, dPsi.rows(windows, rows));
            // back along the chain r_k = r_{k−1}Kᵀ: ∂K += ∂r_kᵀ r_{k−1}, ∂r_{k−1} += ∂r_k K
            for (int step = horizon - 1; step >= 0; step--) {
                Block dr = rolloutError.rows(step * windows, (step + 1) * windows);
                Block previous = step == 0 ? psi.rows(0, windows) : rollout.rows((step - 1) * windows, step * windows);
                Block dPrevious = step == 0 ? dPsi.rows(0, windows) : rolloutError.rows((step - 1) * windows, step * windows);
                Blas.gemm(true, false, 1f, dr, previous, 1f, dk);
                Blas.gemm(false, false, 1f, dr, k, 1f, dPrevious);
            }
        }
        if (weights.lambdaK() > 0) {
            addScaled(dk, k, (float) (2 * weights.lambdaK()), false);
        }

        int depth = dict.depth();
        Block dFeatures = dPsi.cols(n, m);
        Blas.gemm(true, false, 1f, h[depth], dFeatures, 0f, dw[depth]);
        Blas.columnSums(dFeatures, ones, db[depth]);
        Block dh = g[depth % 2];
        Blas.gemm(false, true, 1f, dFeatures, w[depth], 0f, dh);
        for (int i = depth - 1; i >= 0; i--) {
            // dh: ∂/∂h[i+1]; through dropout, then the activation (the skip path adds dh itself to ∂/∂h[i])
            if (mask[i] != null) {
                Kernels.multiply(mask[i], dh);
            }
            Kernels.activationBackward(activation, dh, activations[i], dPre);
            Blas.gemm(true, false, 1f, h[i], dPre, 0f, dw[i]);
            Blas.columnSums(dPre, ones, db[i]);
            if (i > 0) {
                Block dhPrevious = g[i % 2];
                if (dict.residual()) {
                    Kernels.copy(dh, dhPrevious);
                    Blas.gemm(false, true, 1f, dPre, w[i], 1f, dhPrevious);
                } else {
                    Blas.gemm(false, true, 1f, dPre, w[i], 0f, dhPrevious);
                }
                dh = dhPrevious;
            }
        }
        if (weights.lambdaTheta() > 0) {
            for (int i = 0; i <= depth; i++) {
                addScaled(dw[i], w[i], (float) weights.lambdaTheta(), true);
            }
        }
    }

    /** Inverted dropout: each unit kept with probability 1 − p and scaled by 1/(1 − p). */
    private void fillDropoutMask(Block maskBlock) {
        double keep = 1 - dict.dropout();
        float scale = (float) (1 / keep);
        for (int r = 0; r < maskBlock.rows(); r++) {
            for (int j = 0; j < maskBlock.cols(); j++) {
                maskBlock.set(r, j, dropoutRng.nextDouble() < keep ? scale : 0f);
            }
        }
    }

    /** Σ x² or Σ |x| over a (small, parameter) block. */
    private static double sumOf(Block x, boolean abs) {
        double s = 0;
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < x.cols(); j++) {
                float v = x.get(r, j);
                s += abs ? Math.abs(v) : v * v;
            }
        }
        return s;
    }

    /** d += a·x, or d += a·sign(x) (the subgradient of |x| SameDiff's norm1 uses). */
    private static void addScaled(Block d, Block x, float a, boolean sign) {
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < x.cols(); j++) {
                float v = x.get(r, j);
                d.set(r, j, d.get(r, j) + a * (sign ? Math.signum(v) : v));
            }
        }
    }

    private long length(int i) {
        long size = 1;
        for (long s : shapes.get(i)) {
            size *= s;
        }
        return size;
    }

    private INDArray view(INDArray flat, int i) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(starts.get(i), starts.get(i) + length(i))).reshape(shapes.get(i));
    }

    private Map<String, INDArray> copies(INDArray flat) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), view(flat, i).dup());
        }
        return out;
    }
}
