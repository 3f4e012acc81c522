package koopman4j.trainer.fused;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.Expm;
import koopman4j.layers.Activation;
import koopman4j.layers.integrators.Integrator;
import koopman4j.layers.integrators.TimeGrid;
import koopman4j.layers.spnode.Autoencoder;
import koopman4j.layers.spnode.BilinearNet;
import koopman4j.layers.spnode.HurwitzLinear;
import koopman4j.layers.spnode.LipschitzMlp;
import koopman4j.layers.spnode.StructurePreservingNode;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loss of one structure-preserving NODE training step (seed 001, eq. 20 over an ETD1 or IMEX
 * rollout, with autoencoder and Lipschitz or bilinear g) and its exact gradient, in float64, as BLAS
 * calls and loops over buffers allocated once — what the SameDiff graph of {@code SpNodeTrainer}
 * computes, without its per-op cost (tens of microseconds per op and step, on a graph of hundreds).
 *
 * <p>Both integrators advance a batch of rows U [B, n] as U₊ = U·Eᵀ + g(U)·Pᵀ with n×n matrices of the
 * current A_L and step h: ETD1 (eq. 17) E = e^{hA}, P = hφ₁(hA), the blocks of exp(h[[A, I], [0, 0]]);
 * IMEX E = (I − hA)⁻¹, P = hE. So the whole rollout is GEMMs with matrices formed once per distinct h,
 * densely (n is a latent dimension, tens at most), where the graph applies expmv to the batch.
 * Backward, the rollout's adjoint gives dE and dP per h, and
 * <ul>
 *   <li>ETD1: dX = L_exp(Xᵀ, [[dE, dP], [0, 0]]) for X = h[[A, I], [0, 0]], the adjoint of the Fréchet
 *       derivative, read off the upper-right block of exp([[Xᵀ, dF], [0, Xᵀ]]) (Najfeld &amp; Havel 1995;
 *       Higham, <i>Functions of Matrices</i>, §3.2), with dF scaled to ‖X‖ so no extra squarings are
 *       needed; dA = h·dX₁₁;</li>
 *   <li>IMEX: dA = h·Eᵀ(dE + h·dP)Eᵀ;</li>
 * </ul>
 * then through A_L = (−L_G L_Gᵀ + L_U − L_Uᵀ)·L_S L_Sᵀ + μI to the triangle vectors, and through the
 * normalisation of each Lipschitz weight (eq. 8, B = L^{1/p}W / max(1, √(‖W‖₁‖W‖_∞))) to W.
 *
 * <p>Parameters and gradients are the caller's arrays, by SameDiff name ({@link StructurePreservingNode#values}),
 * so the optimiser and the graph engine see the same buffers. The input is {@link #input()}, [(K+1)·B, m]
 * with block k the states at t_k (the layout of the SameDiff graph's placeholder).
 */
public final class SpNodeStep {

    private final int n;
    private final int m;
    private final int batch;
    private final int steps;
    private final Integrator integrator;
    private final HurwitzLinear.Options linear;
    private final double[] stepSizes;
    private final int[] stepIndex;
    private final double[] blockWeight;

    private final Block lS;
    private final Block lG;
    private final Block lU;
    private final Block dlS;
    private final Block dlG;
    private final Block dlU;
    private final Lipschitz lipschitz;
    private final Bilinear bilinear;
    private final Mlp encoder;
    private final Mlp decoder;

    private final INDArray input;
    private final Block x;
    private final Block u;
    private final Block g;
    private final Block predicted;
    private final Block residual;
    private final Block dU;
    private final Block lambda;
    private final Block lambdaNext;
    private final Block dG;
    private final Block dUg;
    private final Block[] e;
    private final Block[] p;
    private final Block[] dE;
    private final Block[] dP;

    /**
     * @param parameters the model's parameters by SameDiff name, contiguous float64 arrays (read every step)
     * @param gradients  arrays of the same names and sizes the gradient is written to
     */
    public SpNodeStep(StructurePreservingNode.Options options, TimeGrid grid, int batch,
                      Map<String, INDArray> parameters, Map<String, INDArray> gradients) {
        if (!supports(options)) {
            throw new InvalidDataException("training.engine fused: " + unsupported(options));
        }
        this.integrator = options.integrator();
        this.linear = options.linear();
        this.n = linear.dimension();
        this.m = options.inputs();
        this.batch = batch;
        this.steps = grid.steps();
        if ((long) (steps + 1) * batch * Math.max(m, n) > Integer.MAX_VALUE / Double.BYTES) {
            throw new InvalidDataException("training.batchSize: " + batch + " trajectories of " + (steps + 1) + " samples are too many for one step");
        }
        Map<Double, Integer> distinct = new HashMap<>();
        List<Double> sizes = new ArrayList<>();
        stepIndex = new int[steps];
        for (int k = 0; k < steps; k++) {
            double h = grid.step(k);
            stepIndex[k] = distinct.computeIfAbsent(h, key -> {
                sizes.add(key);
                return sizes.size() - 1;
            });
        }
        stepSizes = sizes.stream().mapToDouble(Double::doubleValue).toArray();
        double[] w = grid.trapezoidWeights();
        blockWeight = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            blockWeight[k] = w[k] / ((double) batch * m);
        }

        Params params = new Params(parameters, gradients);
        lS = params.value("linear/" + HurwitzLinear.L_S, 1, linear.lowerCount());
        lG = params.value("linear/" + HurwitzLinear.L_G, 1, linear.lowerCount());
        dlS = params.gradient("linear/" + HurwitzLinear.L_S, 1, linear.lowerCount());
        dlG = params.gradient("linear/" + HurwitzLinear.L_G, 1, linear.lowerCount());
        lU = n > 1 ? params.value("linear/" + HurwitzLinear.L_U, 1, linear.strictlyLowerCount()) : null;
        dlU = n > 1 ? params.gradient("linear/" + HurwitzLinear.L_U, 1, linear.strictlyLowerCount()) : null;

        int rows = (steps + 1) * batch;
        input = Nd4j.create(DataType.DOUBLE, rows, m);
        x = Block.over(input).reshape(0, rows, m);
        u = Block.allocate(DataType.DOUBLE, rows, n);
        g = Block.allocate(DataType.DOUBLE, steps * batch, n);
        lipschitz = options.lipschitz() == null ? null : new Lipschitz(options.lipschitz(), params, steps * batch, batch);
        bilinear = options.bilinear() == null ? null : new Bilinear(options.bilinear(), params, steps * batch, batch);
        Autoencoder.Options ae = options.autoencoder();
        encoder = ae == null ? null : Mlp.autoencoder(ae, params, "autoencoder/enc/", m, ae.latent(), false, batch);
        decoder = ae == null ? null : Mlp.autoencoder(ae, params, "autoencoder/dec/", ae.latent(), m, true, rows);
        predicted = ae == null ? u : Block.allocate(DataType.DOUBLE, rows, m);
        residual = Block.allocate(DataType.DOUBLE, rows, m);
        dU = ae == null ? residual : Block.allocate(DataType.DOUBLE, rows, n);
        lambda = Block.allocate(DataType.DOUBLE, batch, n);
        lambdaNext = Block.allocate(DataType.DOUBLE, batch, n);
        dG = Block.allocate(DataType.DOUBLE, batch, n);
        dUg = Block.allocate(DataType.DOUBLE, batch, n);
        e = new Block[stepSizes.length];
        p = new Block[stepSizes.length];
        dE = new Block[stepSizes.length];
        dP = new Block[stepSizes.length];
        for (int i = 0; i < stepSizes.length; i++) {
            e[i] = Block.allocate(DataType.DOUBLE, n, n);
            p[i] = Block.allocate(DataType.DOUBLE, n, n);
            dE[i] = Block.allocate(DataType.DOUBLE, n, n);
            dP[i] = Block.allocate(DataType.DOUBLE, n, n);
        }
        params.checkAllUsed();
    }

    /** Whether this engine computes the model's training step: ETD1 or IMEX, and activations other than CReLU. */
    public static boolean supports(StructurePreservingNode.Options options) {
        return unsupported(options) == null;
    }

    private static String unsupported(StructurePreservingNode.Options options) {
        if (options.integrator() == Integrator.RK4) {
            return "the rk4 integrator is trained by the SameDiff engine only (use training.engine auto or samediff)";
        }
        if (options.autoencoder() != null && options.autoencoder().activation() == Activation.CRELU) {
            return "a crelu autoencoder is trained by the SameDiff engine only (use training.engine auto or samediff)";
        }
        return null;
    }

    /** The batch's states, [(K+1)·B, m], block k at t_k; fill it before {@link #lossAndGradient()}. */
    public INDArray input() {
        return input;
    }

    /**
     * Eq. 20 at the current parameters on {@link #input()}; the gradient is written to the gradient arrays (left as they
     * were when the loss is not finite).
     */
    public double lossAndGradient() {
        double[][] a = HurwitzLinear.matrix(linear, values(lS), values(lG), lU == null ? new double[0] : values(lU));
        propagators(a);
        if (lipschitz != null) {
            lipschitz.normalise();
        }
        // forward: u₀ = f_E(x₀), u_{k+1} = u_k Eᵀ + g(u_k) Pᵀ, prediction f_D(u)
        Block x0 = x.rows(0, batch);
        if (encoder == null) {
            DoubleKernels.copy(x0, u.rows(0, batch));
        } else {
            encoder.forward(x0, 0, u.rows(0, batch));
        }
        for (int k = 0; k < steps; k++) {
            Block uk = u.rows(k * batch, (k + 1) * batch);
            Block gk = g.rows(k * batch, (k + 1) * batch);
            nonlinear(uk, gk, k);
            Block next = u.rows((k + 1) * batch, (k + 2) * batch);
            Blas.gemm(false, true, 1, uk, e[stepIndex[k]], 0, next);
            Blas.gemm(false, true, 1, gk, p[stepIndex[k]], 1, next);
        }
        if (decoder != null) {
            decoder.forward(u, 0, predicted);
        }
        // eq. 20: Σ_k c_k ‖f_D(u_k) − x_k‖², and its gradient 2c_k(f_D(u_k) − x_k) in place
        DoubleKernels.copy(predicted, residual);
        DoubleKernels.axpy(-1, x, residual);
        double loss = 0;
        for (int k = 0; k <= steps; k++) {
            loss += blockWeight[k] * DoubleKernels.squaresAndGradient(residual.rows(k * batch, (k + 1) * batch), blockWeight[k]);
        }
        if (!Double.isFinite(loss)) {
            // no gradient to take (the matrix exponential's adjoint refuses NaN); the trainer stops before using one
            return loss;
        }

        // backward
        zeroGradients();
        if (decoder != null) {
            decoder.backward(residual, 0, u, dU, null);
        }
        DoubleKernels.copy(dU.rows(steps * batch, (steps + 1) * batch), lambda);
        Block adjoint = lambda;
        Block spare = lambdaNext;
        for (int k = steps - 1; k >= 0; k--) {
            int i = stepIndex[k];
            Block uk = u.rows(k * batch, (k + 1) * batch);
            Block gk = g.rows(k * batch, (k + 1) * batch);
            Blas.gemm(true, false, 1, adjoint, uk, 1, dE[i]);
            Blas.gemm(true, false, 1, adjoint, gk, 1, dP[i]);
            DoubleKernels.copy(dU.rows(k * batch, (k + 1) * batch), spare);
            Blas.gemm(false, false, 1, adjoint, e[i], 1, spare);
            if (lipschitz != null || bilinear != null) {
                Blas.gemm(false, false, 1, adjoint, p[i], 0, dG);
                if (lipschitz != null) {
                    lipschitz.mlp.backward(dG, k * batch, uk, dUg, gk);
                } else {
                    bilinear.backward(dG, k, uk, dUg);
                }
                DoubleKernels.axpy(1, dUg, spare);
            }
            Block swap = adjoint;
            adjoint = spare;
            spare = swap;
        }
        if (encoder != null) {
            encoder.backward(adjoint, 0, x0, null, null);
        }
        if (lipschitz != null) {
            lipschitz.weightGradients();
        }
        linearGradients(a);
        return loss;
    }

    /** g(u_k) into gk (0 without a nonlinear part). */
    private void nonlinear(Block uk, Block gk, int k) {
        if (lipschitz != null) {
            lipschitz.mlp.forward(uk, k * batch, gk);
        } else if (bilinear != null) {
            bilinear.forward(uk, k, gk);
        } else {
            DoubleKernels.fill(gk, 0);
        }
    }

    private void zeroGradients() {
        for (Block b : new Block[] {dlS, dlG, dlU}) {
            if (b != null) {
                DoubleKernels.fill(b, 0);
            }
        }
        for (int i = 0; i < stepSizes.length; i++) {
            DoubleKernels.fill(dE[i], 0);
            DoubleKernels.fill(dP[i], 0);
        }
        for (Mlp mlp : new Mlp[] {encoder, decoder, lipschitz == null ? null : lipschitz.mlp}) {
            if (mlp != null) {
                mlp.zeroGradients();
            }
        }
        if (bilinear != null) {
            bilinear.zeroGradients();
        }
    }

    /** E and P of every distinct step size from the current A. */
    private void propagators(double[][] a) {
        for (int i = 0; i < stepSizes.length; i++) {
            double h = stepSizes[i];
            double[][] eh;
            double[][] ph = new double[n][n];
            if (integrator == Integrator.ETD1) {
                double[][] f = Expm.exp(augmented(a, h));
                eh = new double[n][n];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(f[r], 0, eh[r], 0, n);
                    System.arraycopy(f[r], n, ph[r], 0, n);
                }
            } else {
                eh = implicitInverse(a, h);
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        ph[r][c] = h * eh[r][c];
                    }
                }
            }
            store(eh, e[i]);
            store(ph, p[i]);
        }
    }

    /** h·[[A, I], [0, 0]]. */
    private static double[][] augmented(double[][] a, double h) {
        int n = a.length;
        double[][] x = new double[2 * n][2 * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                x[r][c] = h * a[r][c];
            }
            x[r][n + r] = h;
        }
        return x;
    }

    /** (I − hA)⁻¹ by LU with partial pivoting (EJML). */
    private static double[][] implicitInverse(double[][] a, double h) {
        int n = a.length;
        DMatrixRMaj mat = new DMatrixRMaj(n, n);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                mat.set(r, c, (r == c ? 1 : 0) - h * a[r][c]);
            }
        }
        if (!CommonOps_DDRM.invert(mat)) {
            throw new IllegalStateException("imex: I − hA is singular for h = " + h);
        }
        double[][] inv = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                inv[r][c] = mat.get(r, c);
            }
        }
        return inv;
    }

    /** dA from dE, dP of every step size, then the triangle vectors' gradients (the class comment). */
    private void linearGradients(double[][] a) {
        double[][] dA = new double[n][n];
        for (int i = 0; i < stepSizes.length; i++) {
            double h = stepSizes[i];
            double[][] de = load(dE[i]);
            double[][] dp = load(dP[i]);
            if (integrator == Integrator.ETD1) {
                double[][] x = augmented(a, h);
                double[][] df = new double[2 * n][2 * n];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(de[r], 0, df[r], 0, n);
                    System.arraycopy(dp[r], 0, df[r], n, n);
                }
                double[][] dx = Expm.frechetAdjoint(x, df);
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        dA[r][c] += h * dx[r][c];
                    }
                }
            } else {
                double[][] eh = load(e[i]);
                double[][] total = new double[n][n];
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        total[r][c] = de[r][c] + h * dp[r][c];
                    }
                }
                double[][] prod = product(transpose(eh), product(total, transpose(eh)));
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < n; c++) {
                        dA[r][c] += h * prod[r][c];
                    }
                }
            }
        }
        hurwitzGradients(dA);
    }

    /**
     * A = G·S + μI with G = −L_G L_Gᵀ + L_U − L_Uᵀ and S = L_S L_Sᵀ: dG = dA·S, dS = Gᵀ·dA, dL_S = (dS + dSᵀ)L_S,
     * dL_G = −(dG + dGᵀ)L_G, dL_U = dG − dGᵀ, each read on its triangle.
     */
    private void hurwitzGradients(double[][] dA) {
        double[][] factorS = triangle(values(lS), false);
        double[][] factorG = triangle(values(lG), false);
        double[][] factorU = lU == null ? new double[n][n] : triangle(values(lU), true);
        double[][] s = product(factorS, transpose(factorS));
        double[][] gm = product(factorG, transpose(factorG));
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                gm[r][c] = -gm[r][c] + factorU[r][c] - factorU[c][r];
            }
        }
        double[][] dGm = product(dA, s);
        double[][] dS = product(transpose(gm), dA);
        double[][] symS = new double[n][n];
        double[][] symG = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                symS[r][c] = dS[r][c] + dS[c][r];
                symG[r][c] = -(dGm[r][c] + dGm[c][r]);
            }
        }
        double[][] dFactorS = product(symS, factorS);
        double[][] dFactorG = product(symG, factorG);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c <= r; c++) {
                dlS.setDouble(0, r * (r + 1) / 2 + c, dFactorS[r][c]);
                dlG.setDouble(0, r * (r + 1) / 2 + c, dFactorG[r][c]);
                if (c < r) {
                    dlU.setDouble(0, r * (r - 1) / 2 + c, dGm[r][c] - dGm[c][r]);
                }
            }
        }
    }

    private double[][] triangle(double[] v, boolean strict) {
        double[][] t = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < (strict ? r : r + 1); c++) {
                t[r][c] = v[strict ? r * (r - 1) / 2 + c : r * (r + 1) / 2 + c];
            }
        }
        return t;
    }

    private static double[][] product(double[][] a, double[][] b) {
        int rows = a.length;
        int inner = b.length;
        int cols = b[0].length;
        double[][] c = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < inner; k++) {
                double v = a[r][k];
                for (int j = 0; j < cols; j++) {
                    c[r][j] += v * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                t[c][r] = a[r][c];
            }
        }
        return t;
    }

    private static double[] values(Block v) {
        double[] out = new double[(int) v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.getDouble(0, i);
        }
        return out;
    }

    private static void store(double[][] a, Block b) {
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                b.setDouble(r, c, a[r][c]);
            }
        }
    }

    private static double[][] load(Block b) {
        double[][] a = new double[b.rows()][b.cols()];
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                a[r][c] = b.getDouble(r, c);
            }
        }
        return a;
    }

    /** The caller's parameter and gradient arrays by name, as blocks; checks that every one is used. */
    private static final class Params {
        private final Map<String, INDArray> values;
        private final Map<String, INDArray> gradients;
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Params(Map<String, INDArray> values, Map<String, INDArray> gradients) {
            this.values = values;
            this.gradients = gradients;
        }

        Block value(String name, int rows, int cols) {
            used.add(name);
            return block(values, name, rows, cols);
        }

        Block gradient(String name, int rows, int cols) {
            return block(gradients, name, rows, cols);
        }

        private static Block block(Map<String, INDArray> arrays, String name, int rows, int cols) {
            INDArray a = arrays.get(name);
            if (a == null || a.length() != (long) rows * cols || a.dataType() != DataType.DOUBLE || a.ordering() != 'c'
                    || a.elementWiseStride() != 1 && a.length() > 1) {
                throw new IllegalArgumentException("sp-node fused step: parameter '" + name + "' must be a contiguous float64 array of "
                        + rows + "×" + cols + ", got " + (a == null ? "none" : a.dataType() + " " + java.util.Arrays.toString(a.shape())));
            }
            return Block.over(a).reshape(0, rows, cols);
        }

        void checkAllUsed() {
            for (String name : values.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException("sp-node fused step: parameter '" + name + "' is not part of this model");
                }
            }
        }
    }

    /**
     * A dense network z ↦ σ(…σ(z·W₀ + b₀)…·W_L + b_L) on rows, with the outputs of every layer kept for
     * {@code capacity} rows (several calls, at different row offsets, share one network: g at each step).
     */
    private static final class Mlp {
        final Block[] w;
        final Block[] b;
        final Block[] dw;
        final Block[] db;
        final Activation activation;
        final boolean affineOutput;
        final Block[] hidden;
        final Block[] scratch;
        final Block ones;

        Mlp(Block[] w, Block[] b, Block[] dw, Block[] db, Activation activation, boolean affineOutput, int capacity, int rowsPerCall) {
            this.w = w;
            this.b = b;
            this.dw = dw;
            this.db = db;
            this.activation = activation;
            this.affineOutput = affineOutput;
            int layers = w.length;
            hidden = new Block[layers - 1];
            int widest = 1;
            for (int i = 0; i < layers; i++) {
                widest = Math.max(widest, w[i].cols());
                if (i < layers - 1) {
                    hidden[i] = Block.allocate(DataType.DOUBLE, capacity, w[i].cols());
                }
            }
            scratch = new Block[] {Block.allocate(DataType.DOUBLE, rowsPerCall, widest), Block.allocate(DataType.DOUBLE, rowsPerCall, widest)};
            ones = Block.allocate(DataType.DOUBLE, 1, rowsPerCall);
            DoubleKernels.fill(ones, 1);
        }

        /** The encoder (prefix enc/) or decoder (dec/) of an autoencoder, over the caller's parameter arrays. */
        static Mlp autoencoder(Autoencoder.Options ae, Params params, String prefix, int inputs, int outputs, boolean mirrored,
                               int rowsPerCall) {
            List<Integer> widths = new ArrayList<>(ae.widths());
            if (mirrored) {
                java.util.Collections.reverse(widths);
            }
            widths.add(outputs);
            int layers = widths.size();
            Block[] w = new Block[layers];
            Block[] b = new Block[layers];
            Block[] dw = new Block[layers];
            Block[] db = new Block[layers];
            int in = inputs;
            for (int i = 0; i < layers; i++) {
                int out = widths.get(i);
                w[i] = params.value(prefix + "w" + i, in, out);
                b[i] = params.value(prefix + "b" + i, 1, out);
                dw[i] = params.gradient(prefix + "w" + i, in, out);
                db[i] = params.gradient(prefix + "b" + i, 1, out);
                in = out;
            }
            return new Mlp(w, b, dw, db, ae.activation(), true, rowsPerCall, rowsPerCall);
        }

        private boolean activated(int layer) {
            return layer < w.length - 1 || !affineOutput;
        }

        /** out = the network at rows z; its hidden outputs stored at rows [offset, offset + z.rows()). */
        void forward(Block z, int offset, Block out) {
            Block in = z;
            for (int i = 0; i < w.length; i++) {
                Block o = i < w.length - 1 ? hidden[i].rows(offset, offset + z.rows()) : out;
                Blas.gemm(false, false, 1, in, w[i], 0, o);
                DoubleKernels.biasActivation(activated(i) ? activation : null, o, b[i], o);
                in = o;
            }
        }

        /**
         * Accumulates the weight and bias gradients of the call at rows [offset, …) given dOut (overwritten),
         * its input z and output {@code out} (read only when the last layer is activated); dz = the gradient
         * with respect to z when dz is not null.
         */
        void backward(Block dOut, int offset, Block z, Block dz, Block out) {
            int rows = z.rows();
            Block grad = dOut;
            for (int i = w.length - 1; i >= 0; i--) {
                Block input = i == 0 ? z : hidden[i - 1].rows(offset, offset + rows);
                if (activated(i)) {
                    Block output = i < w.length - 1 ? hidden[i].rows(offset, offset + rows) : out;
                    DoubleKernels.activationBackward(activation, grad, output, grad);
                }
                Blas.gemm(true, false, 1, input, grad, 1, dw[i]);
                Blas.columnSums(grad, ones, 1, db[i]);
                if (i > 0 || dz != null) {
                    Block next = i > 0 ? scratch[i % 2].reshape(0, rows, w[i].rows()) : dz;
                    Blas.gemm(false, true, 1, grad, w[i], 0, next);
                    grad = next;
                }
            }
        }

        void zeroGradients() {
            for (int i = 0; i < w.length; i++) {
                DoubleKernels.fill(dw[i], 0);
                DoubleKernels.fill(db[i], 0);
            }
        }
    }

    /** g of eq. 7–8: an {@link Mlp} over the normalised weights B_i, whose gradients are carried back to W_i. */
    private static final class Lipschitz {
        final LipschitzMlp.Options options;
        final Block[] raw;
        final Block[] dRaw;
        final Block[] effective;
        final Block[] dEffective;
        final double[] scale;
        final double[] norm1;
        final double[] normInf;
        final int[] maxColumn;
        final int[] maxRow;
        final Mlp mlp;

        Lipschitz(LipschitzMlp.Options options, Params params, int capacity, int rowsPerCall) {
            this.options = options;
            int layers = options.layers();
            raw = new Block[layers];
            dRaw = new Block[layers];
            effective = new Block[layers];
            dEffective = new Block[layers];
            Block[] b = new Block[layers];
            Block[] db = new Block[layers];
            for (int i = 0; i < layers; i++) {
                int in = options.inputsOf(i);
                int out = options.outputsOf(i);
                raw[i] = params.value("nonlinear/" + LipschitzMlp.weightName(i), in, out);
                dRaw[i] = params.gradient("nonlinear/" + LipschitzMlp.weightName(i), in, out);
                b[i] = params.value("nonlinear/" + LipschitzMlp.biasName(i), 1, out);
                db[i] = params.gradient("nonlinear/" + LipschitzMlp.biasName(i), 1, out);
                effective[i] = Block.allocate(DataType.DOUBLE, in, out);
                dEffective[i] = Block.allocate(DataType.DOUBLE, in, out);
            }
            scale = new double[layers];
            norm1 = new double[layers];
            normInf = new double[layers];
            maxColumn = new int[layers];
            maxRow = new int[layers];
            mlp = new Mlp(effective, b, dEffective, db, options.activation(), options.linearOutput(), capacity, rowsPerCall);
        }

        /** B_i = L^{1/p}·W_i / max(1, √(‖W_i‖₁‖W_i‖_∞)), remembering which column and row attain the norms. */
        void normalise() {
            double bound = Math.pow(options.lipschitzBound(), 1.0 / options.layers());
            for (int i = 0; i < raw.length; i++) {
                Block wi = raw[i];
                norm1[i] = -1;
                for (int c = 0; c < wi.cols(); c++) {
                    double sum = 0;
                    for (int r = 0; r < wi.rows(); r++) {
                        sum += Math.abs(wi.getDouble(r, c));
                    }
                    if (sum > norm1[i]) {
                        norm1[i] = sum;
                        maxColumn[i] = c;
                    }
                }
                normInf[i] = -1;
                for (int r = 0; r < wi.rows(); r++) {
                    double sum = 0;
                    for (int c = 0; c < wi.cols(); c++) {
                        sum += Math.abs(wi.getDouble(r, c));
                    }
                    if (sum > normInf[i]) {
                        normInf[i] = sum;
                        maxRow[i] = r;
                    }
                }
                scale[i] = bound / Math.max(1, Math.sqrt(norm1[i] * normInf[i]));
                for (int r = 0; r < wi.rows(); r++) {
                    for (int c = 0; c < wi.cols(); c++) {
                        effective[i].setDouble(r, c, scale[i] * wi.getDouble(r, c));
                    }
                }
            }
        }

        /**
         * dW = s·dB + ⟨dB, W⟩·ds/dW with s = c/D, D = √(n₁n_∞) when above 1: ds/dW = −c/D²·(n_∞∂n₁ + n₁∂n_∞)/(2D),
         * ∂n₁/∂W = sign(W) on the column attaining n₁, ∂n_∞/∂W = sign(W) on the row attaining n_∞.
         */
        void weightGradients() {
            double bound = Math.pow(options.lipschitzBound(), 1.0 / options.layers());
            for (int i = 0; i < raw.length; i++) {
                Block wi = raw[i];
                Block dB = dEffective[i];
                Block dW = dRaw[i];
                double inner = 0;
                for (int r = 0; r < wi.rows(); r++) {
                    for (int c = 0; c < wi.cols(); c++) {
                        double d = dB.getDouble(r, c);
                        inner += d * wi.getDouble(r, c);
                        dW.setDouble(r, c, scale[i] * d);
                    }
                }
                double root = Math.sqrt(norm1[i] * normInf[i]);
                if (root <= 1) {
                    continue;
                }
                double dRoot = -bound / (root * root) * inner; // ∂loss/∂D
                double toNorm1 = dRoot * normInf[i] / (2 * root);
                double toNormInf = dRoot * norm1[i] / (2 * root);
                for (int r = 0; r < wi.rows(); r++) {
                    int c = maxColumn[i];
                    dW.setDouble(r, c, dW.getDouble(r, c) + toNorm1 * Math.signum(wi.getDouble(r, c)));
                }
                for (int c = 0; c < wi.cols(); c++) {
                    int r = maxRow[i];
                    dW.setDouble(r, c, dW.getDouble(r, c) + toNormInf * Math.signum(wi.getDouble(r, c)));
                }
            }
        }
    }

    /** g of eq. 6: Σ_r (u·C_rᵀ) ∘ (u·D_rᵀ) + b, with both products kept per step for the backward pass. */
    private static final class Bilinear {
        final BilinearNet.Options options;
        final Block c;
        final Block d;
        final Block bias;
        final Block dc;
        final Block dd;
        final Block db;
        final Block pc;
        final Block pd;
        final Block gradPc;
        final Block gradPd;
        final Block onesRows;

        Bilinear(BilinearNet.Options options, Params params, int capacity, int rowsPerCall) {
            this.options = options;
            int rn = options.rank() * options.dimension();
            int dim = options.dimension();
            c = params.value("nonlinear/" + BilinearNet.C, rn, dim);
            d = params.value("nonlinear/" + BilinearNet.D, rn, dim);
            dc = params.gradient("nonlinear/" + BilinearNet.C, rn, dim);
            dd = params.gradient("nonlinear/" + BilinearNet.D, rn, dim);
            bias = options.bias() ? params.value("nonlinear/" + BilinearNet.B, 1, dim) : null;
            db = options.bias() ? params.gradient("nonlinear/" + BilinearNet.B, 1, dim) : null;
            pc = Block.allocate(DataType.DOUBLE, capacity, rn);
            pd = Block.allocate(DataType.DOUBLE, capacity, rn);
            gradPc = Block.allocate(DataType.DOUBLE, rowsPerCall, rn);
            gradPd = Block.allocate(DataType.DOUBLE, rowsPerCall, rn);
            onesRows = Block.allocate(DataType.DOUBLE, 1, rowsPerCall);
            DoubleKernels.fill(onesRows, 1);
        }

        void forward(Block uk, int k, Block gk) {
            int rows = uk.rows();
            int dim = options.dimension();
            Block a = pc.rows(k * rows, (k + 1) * rows);
            Block bb = pd.rows(k * rows, (k + 1) * rows);
            Blas.gemm(false, true, 1, uk, c, 0, a);
            Blas.gemm(false, true, 1, uk, d, 0, bb);
            for (int row = 0; row < rows; row++) {
                for (int i = 0; i < dim; i++) {
                    double sum = bias == null ? 0 : bias.getDouble(0, i);
                    for (int r = 0; r < options.rank(); r++) {
                        sum += a.getDouble(row, r * dim + i) * bb.getDouble(row, r * dim + i);
                    }
                    gk.setDouble(row, i, sum);
                }
            }
        }

        void backward(Block dg, int k, Block uk, Block du) {
            int rows = uk.rows();
            int dim = options.dimension();
            Block a = pc.rows(k * rows, (k + 1) * rows);
            Block bb = pd.rows(k * rows, (k + 1) * rows);
            for (int row = 0; row < rows; row++) {
                for (int r = 0; r < options.rank(); r++) {
                    for (int i = 0; i < dim; i++) {
                        double v = dg.getDouble(row, i);
                        gradPc.setDouble(row, r * dim + i, v * bb.getDouble(row, r * dim + i));
                        gradPd.setDouble(row, r * dim + i, v * a.getDouble(row, r * dim + i));
                    }
                }
            }
            Blas.gemm(true, false, 1, gradPc, uk, 1, dc);
            Blas.gemm(true, false, 1, gradPd, uk, 1, dd);
            if (db != null) {
                Blas.columnSums(dg, onesRows, 1, db);
            }
            Blas.gemm(false, false, 1, gradPc, c, 0, du);
            Blas.gemm(false, false, 1, gradPd, d, 1, du);
        }

        void zeroGradients() {
            DoubleKernels.fill(dc, 0);
            DoubleKernels.fill(dd, 0);
            if (db != null) {
                DoubleKernels.fill(db, 0);
            }
        }
    }
}
