package koopman4j.layers;

import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.weightinit.impl.XavierInitScheme;

/**
 * The Deep DMD dictionary ψ(x) = [x, N_θ(x)] (seed 000, §2.2): the state is kept inside the
 * dictionary so it is read back out linearly, N_θ is an MLP of {@code depth} hidden layers.
 * Layers are {@code linear} ops (matmul and bias fused) to keep SameDiff's per-op overhead low.
 */
public final class DeepDictionary {

    /** Shape of the network; validated on construction. */
    public record Options(int inputs, int depth, int width, int outputs, Activation activation, boolean residual, double dropout) {
        public Options {
            if (inputs < 1) {
                throw new InvalidDataException("model.dictionary: inputs must be at least 1, got " + inputs);
            }
            if (depth < 1) {
                throw new InvalidDataException("model.dictionary.depth must be at least 1, got " + depth);
            }
            if (width < 1) {
                throw new InvalidDataException("model.dictionary.width must be at least 1, got " + width);
            }
            if (outputs < 1) {
                throw new InvalidDataException("model.dictionary.outputs must be at least 1, got " + outputs);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new InvalidDataException("model.dictionary.dropout must be in [0, 1), got " + dropout);
            }
        }

        /** m = n + outputs: size of ψ. */
        public int liftedDimension() {
            return inputs + outputs;
        }
    }

    private final Options options;
    private final List<SDVariable> weights = new ArrayList<>();
    private final List<SDVariable> biases = new ArrayList<>();

    /** Declares θ in {@code sd} under the names dict/w{i}, dict/b{i}. */
    public DeepDictionary(SameDiff sd, Options options, DataType type) {
        this.options = options;
        int in = options.inputs();
        for (int i = 0; i <= options.depth(); i++) {
            int out = i < options.depth() ? options.width() : options.outputs();
            weights.add(sd.var("dict/w" + i, new XavierInitScheme('c', in, out), type, in, out));
            biases.add(sd.var("dict/b" + i, type, out)); // zero-initialised
            in = options.activation().outputWidth(out);
        }
    }

    public Options options() {
        return options;
    }

    /** The weight matrices of θ (for the λ₂‖θ‖₁ penalty). */
    public List<SDVariable> weights() {
        return List.copyOf(weights);
    }

    /**
     * ψ(x) for rows x; dropout (inverted, between hidden layers) only when {@code training}.
     */
    public SDVariable apply(SameDiff sd, SDVariable x, boolean training) {
        SDVariable h = x;
        for (int i = 0; i < options.depth(); i++) {
            SDVariable next = options.activation().apply(sd, sd.nn.linear(h, weights.get(i), biases.get(i)));
            h = options.residual() && i > 0 ? h.add(next) : next; // hidden layers after the first share a shape
            if (training && options.dropout() > 0) {
                h = sd.nn.dropoutInverted(h, 1 - options.dropout());
            }
        }
        SDVariable features = sd.nn.linear(h, weights.get(options.depth()), biases.get(options.depth()));
        return sd.concat(1, x, features);
    }
}
