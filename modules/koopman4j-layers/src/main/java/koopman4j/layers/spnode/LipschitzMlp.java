package koopman4j.layers.spnode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Lipschitz-controlled network g = l_p ∘ … ∘ l_1 (seed 001, §2.3, eq. 7–8):
 * l_i(z) = σ(B_i z + b_i), B_i = L^{1/p} W_i / max(1, √(‖W_i‖_∞‖W_i‖_1)), widths n → d → … → d → n.
 * Since ‖W‖₂ ≤ √(‖W‖₁‖W‖_∞) and σ is 1-Lipschitz, each layer is L^{1/p}-Lipschitz and g is
 * L-Lipschitz in the 2-norm for every parameter value (Theorem 2).
 *
 * <p>σ may be tanh (|tanh′| ≤ 1, smooth: the default), ReLU (slopes 0 and 1) or ELU with α = 1
 * (slope e^x ≤ 1 for x &lt; 0); ELU with α &gt; 1 would not be 1-Lipschitz and is not offered, and
 * CReLU is refused because it doubles the layer width. With {@link Options#linearOutput()} the last
 * layer skips σ (the identity is 1-Lipschitz too, so the bound holds), which lets g take any sign and
 * size; without it the network is exactly eq. 7.
 *
 * <p>Rows carry the states, so a layer is z ↦ σ(z·B_i + b_i) with W_i [n_i, n_{i+1}]; the bound is
 * the same because √(‖W‖₁‖W‖_∞) is symmetric under transposition. The norms are built from abs,
 * sum and max reductions, so gradients flow through the normalisation.
 */
public final class LipschitzMlp implements Nonlinearity {

    /** n, p layers, latent width d, bound L, σ, and whether the last layer is affine (no σ). */
    public record Options(int dimension, int layers, int width, double lipschitzBound, Activation activation, boolean linearOutput) {
        public Options {
            if (dimension < 1) {
                throw new InvalidDataException("model.nonlinear.dimension must be at least 1, got " + dimension);
            }
            if (layers < 1) {
                throw new InvalidDataException("model.nonlinear.layers must be at least 1, got " + layers);
            }
            if (width < 1) {
                throw new InvalidDataException("model.nonlinear.width must be at least 1, got " + width);
            }
            if (!(lipschitzBound > 0) || !Double.isFinite(lipschitzBound)) {
                throw new InvalidDataException("model.nonlinear.lipschitzBound must be a finite number > 0, got " + lipschitzBound);
            }
            if (activation == null) {
                throw new InvalidDataException("model.nonlinear.activation is missing; expected elu, relu or tanh");
            }
            if (activation == Activation.CRELU) {
                throw new InvalidDataException("model.nonlinear.activation crelu doubles the layer width; expected elu, relu or tanh");
            }
        }

        /** n_i, the input width of layer i (0-based): n for the first, d after. */
        public int inputsOf(int layer) {
            return layer == 0 ? dimension : width;
        }

        /** n_{i+1}, the output width of layer i (0-based): n for the last, d before. */
        public int outputsOf(int layer) {
            return layer == layers - 1 ? dimension : width;
        }

        public int parameterCount() {
            int count = 0;
            for (int i = 0; i < layers; i++) {
                count += (inputsOf(i) + 1) * outputsOf(i);
            }
            return count;
        }
    }

    private final Options options;
    private final List<SDVariable> weights;
    private final List<SDVariable> biases;

    private LipschitzMlp(Options options, List<SDVariable> weights, List<SDVariable> biases) {
        this.options = options;
        this.weights = List.copyOf(weights);
        this.biases = List.copyOf(biases);
    }

    /** Name of W_i (0-based i). */
    public static String weightName(int layer) {
        return "W" + layer;
    }

    /** Name of b_i (0-based i). */
    public static String biasName(int layer) {
        return "b" + layer;
    }

    /** Declares prefix+W{i} [n_i, n_{i+1}] and prefix+b{i} [n_{i+1}] in sd with {@link #initialValues}. */
    public static LipschitzMlp declare(SameDiff sd, String prefix, Options options, DataType type, long seed) {
        Map<String, double[]> init = initialValues(options, seed);
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        for (int i = 0; i < options.layers(); i++) {
            w.add(Init.variable(sd, prefix + weightName(i), init.get(weightName(i)), type, options.inputsOf(i), options.outputsOf(i)));
            b.add(Init.variable(sd, prefix + biasName(i), init.get(biasName(i)), type, options.outputsOf(i)));
        }
        return new LipschitzMlp(options, w, b);
    }

    /** Wraps existing variables W_i [n_i, n_{i+1}] and b_i (broadcastable to [batch, n_{i+1}]). */
    public static LipschitzMlp of(Options options, List<SDVariable> weights, List<SDVariable> biases) {
        if (weights.size() != options.layers() || biases.size() != options.layers()) {
            throw new IllegalArgumentException("expected " + options.layers() + " weights and biases");
        }
        return new LipschitzMlp(options, weights, biases);
    }

    /** Seeded start: Xavier-normal W_i, b_i = 0. */
    public static Map<String, double[]> initialValues(Options options, long seed) {
        Random rng = new Random(seed);
        Map<String, double[]> values = new LinkedHashMap<>();
        for (int i = 0; i < options.layers(); i++) {
            values.put(weightName(i), Init.xavier(rng, options.inputsOf(i), options.outputsOf(i)));
            values.put(biasName(i), new double[options.outputsOf(i)]);
        }
        return values;
    }

    public Options options() {
        return options;
    }

    @Override
    public int dimension() {
        return options.dimension();
    }

    @Override
    public List<SDVariable> parameters() {
        List<SDVariable> p = new ArrayList<>();
        for (int i = 0; i < options.layers(); i++) {
            p.add(weights.get(i));
            p.add(biases.get(i));
        }
        return p;
    }

    /** B_i of eq. 8 as SameDiff ops (0-based i). */
    public SDVariable normalisedWeight(SameDiff sd, int layer) {
        SDVariable w = weights.get(layer);
        SDVariable abs = sd.math.abs(w);
        // a sum over a dimension of size 1 fails in M2.1 (null input in its no-op path): skip those
        SDVariable norm1 = (options.inputsOf(layer) == 1 ? abs : abs.sum(0)).max(); // max column sum
        SDVariable normInf = (options.outputsOf(layer) == 1 ? abs : abs.sum(1)).max(); // max row sum
        SDVariable divisor = sd.math.max(sd.math.sqrt(norm1.mul(normInf)), sd.constant(Nd4j.scalar(w.dataType(), 1.0)));
        return w.mul(divisor.rdiv(layerBound()));
    }

    /** eq. 7 for rows u [batch, n]. */
    @Override
    public SDVariable apply(SameDiff sd, SDVariable u) {
        SDVariable z = u;
        for (int i = 0; i < options.layers(); i++) {
            z = z.mmul(normalisedWeight(sd, i)).add(biases.get(i));
            if (i < options.layers() - 1 || !options.linearOutput()) {
                z = options.activation().apply(sd, z);
            }
        }
        return z;
    }

    /** B_i of eq. 8 at the current values, row-major [n_i, n_{i+1}]. */
    public double[] normalisedWeightValues(int layer) {
        int in = options.inputsOf(layer);
        int out = options.outputsOf(layer);
        double[] w = Init.values(weights.get(layer));
        double norm1 = 0;
        for (int j = 0; j < out; j++) {
            double column = 0;
            for (int k = 0; k < in; k++) {
                column += Math.abs(w[k * out + j]);
            }
            norm1 = Math.max(norm1, column);
        }
        double normInf = 0;
        for (int k = 0; k < in; k++) {
            double row = 0;
            for (int j = 0; j < out; j++) {
                row += Math.abs(w[k * out + j]);
            }
            normInf = Math.max(normInf, row);
        }
        double scale = layerBound() / Math.max(1, Math.sqrt(norm1 * normInf));
        for (int k = 0; k < w.length; k++) {
            w[k] *= scale;
        }
        return w;
    }

    @Override
    public double[][] evaluate(double[][] u) {
        double[][] z = u;
        for (int i = 0; i < options.layers(); i++) {
            double[] b = Init.values(biases.get(i));
            z = Dense.affine(z, normalisedWeightValues(i), b, options.inputsOf(i), options.outputsOf(i));
            if (i < options.layers() - 1 || !options.linearOutput()) {
                z = Dense.activate(options.activation(), z);
            }
        }
        return z;
    }

    /** L^{1/p}: the Lipschitz bound of one layer. */
    private double layerBound() {
        return Math.pow(options.lipschitzBound(), 1.0 / options.layers());
    }
}
