package koopman4j.layers;

import java.util.Locale;
import koopman4j.core.data.InvalidDataException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Hidden-layer activations of the deep dictionary (seed 000, §1: ELU, ReLU, cReLU; plus tanh). */
public enum Activation {
    ELU, RELU, TANH,
    /** Concatenated ReLU [relu(x), relu(−x)]: doubles the layer's output width. */
    CRELU;

    public static Activation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException("unknown activation '" + name + "'; expected elu, relu, tanh or crelu", e);
        }
    }

    /** How many outputs a hidden layer of the given width produces. */
    public int outputWidth(int width) {
        return this == CRELU ? 2 * width : width;
    }

    public SDVariable apply(SameDiff sd, SDVariable x) {
        return switch (this) {
            case ELU -> sd.nn.elu(x);
            case RELU -> sd.nn.relu(x, 0);
            case TANH -> sd.math.tanh(x);
            case CRELU -> sd.concat(1, sd.nn.relu(x, 0), sd.nn.relu(x.neg(), 0));
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
