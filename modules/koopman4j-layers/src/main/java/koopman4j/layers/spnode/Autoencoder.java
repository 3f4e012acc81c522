package koopman4j.layers.spnode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The encoder f_E: ℝ^m → ℝ^n and decoder f_D: ℝ^n → ℝ^m of the structure-preserving NODE (seed 001,
 * §2.4): the dynamics run on the latent u = f_E(U), and U_i = f_D(u_i) is compared with the data.
 * Both are MLPs; the encoder has hidden widths w_1 … w_k, the decoder the mirror w_k … w_1, σ after
 * every hidden layer, and affine output layers (the latent and physical states are unbounded).
 *
 * <p>Parameters: prefix+enc/w{i} [in, out], prefix+enc/b{i} [out], and the same under dec/.
 */
public final class Autoencoder {

    /** m (physical), n (latent), the encoder's hidden widths (empty: affine maps) and σ. */
    public record Options(int inputs, int latent, List<Integer> widths, Activation activation) {
        public Options {
            if (inputs < 1) {
                throw new InvalidDataException("model.autoencoder.inputs must be at least 1, got " + inputs);
            }
            if (latent < 1) {
                throw new InvalidDataException("model.autoencoder.latent must be at least 1, got " + latent);
            }
            if (widths == null) {
                throw new InvalidDataException("model.autoencoder.widths is missing; give a list such as [64, 32] or []");
            }
            for (int i = 0; i < widths.size(); i++) {
                if (widths.get(i) == null || widths.get(i) < 1) {
                    throw new InvalidDataException("model.autoencoder.widths[" + i + "] must be at least 1, got " + widths.get(i));
                }
            }
            if (activation == null) {
                throw new InvalidDataException("model.autoencoder.activation is missing; expected elu, relu, tanh or crelu");
            }
            widths = List.copyOf(widths);
        }
    }

    /** One MLP: weights, biases and the input width of each layer (after σ, so CReLU counts twice). */
    private record Mlp(List<SDVariable> weights, List<SDVariable> biases, List<Integer> ins, List<Integer> outs) {
    }

    private final Options options;
    private final Mlp encoder;
    private final Mlp decoder;

    private Autoencoder(Options options, Mlp encoder, Mlp decoder) {
        this.options = options;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /** Declares the encoder and decoder parameters in sd under prefix+enc/ and prefix+dec/, seeded. */
    public static Autoencoder declare(SameDiff sd, String prefix, Options options, DataType type, long seed) {
        Random rng = new Random(seed);
        List<Integer> encoderOuts = new ArrayList<>(options.widths());
        encoderOuts.add(options.latent());
        List<Integer> decoderOuts = new ArrayList<>(options.widths());
        Collections.reverse(decoderOuts);
        decoderOuts.add(options.inputs());
        return new Autoencoder(options,
                mlp(sd, prefix + "enc/", options.inputs(), encoderOuts, options.activation(), type, rng),
                mlp(sd, prefix + "dec/", options.latent(), decoderOuts, options.activation(), type, rng));
    }

    private static Mlp mlp(SameDiff sd, String prefix, int inputs, List<Integer> outs, Activation activation, DataType type, Random rng) {
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        List<Integer> ins = new ArrayList<>();
        int in = inputs;
        for (int i = 0; i < outs.size(); i++) {
            int out = outs.get(i);
            ins.add(in);
            w.add(Init.variable(sd, prefix + "w" + i, Init.xavier(rng, in, out), type, in, out));
            b.add(Init.variable(sd, prefix + "b" + i, new double[out], type, out));
            in = activation.outputWidth(out);
        }
        return new Mlp(w, b, ins, List.copyOf(outs));
    }

    public Options options() {
        return options;
    }

    /** Encoder then decoder parameters, weights before biases layer by layer. */
    public List<SDVariable> parameters() {
        List<SDVariable> p = new ArrayList<>();
        for (Mlp mlp : List.of(encoder, decoder)) {
            for (int i = 0; i < mlp.weights().size(); i++) {
                p.add(mlp.weights().get(i));
                p.add(mlp.biases().get(i));
            }
        }
        return p;
    }

    /** u = f_E(U) for rows U [batch, m]. */
    public SDVariable encode(SameDiff sd, SDVariable physical) {
        return apply(sd, encoder, physical);
    }

    /** U = f_D(u) for rows u [batch, n]. */
    public SDVariable decode(SameDiff sd, SDVariable latent) {
        return apply(sd, decoder, latent);
    }

    /** f_E at the current values, plain double arithmetic. */
    public double[][] encode(double[][] physical) {
        return evaluate(encoder, physical);
    }

    /** f_D at the current values, plain double arithmetic. */
    public double[][] decode(double[][] latent) {
        return evaluate(decoder, latent);
    }

    private SDVariable apply(SameDiff sd, Mlp mlp, SDVariable x) {
        SDVariable h = x;
        int last = mlp.weights().size() - 1;
        for (int i = 0; i <= last; i++) {
            h = sd.nn.linear(h, mlp.weights().get(i), mlp.biases().get(i));
            if (i < last) {
                h = options.activation().apply(sd, h);
            }
        }
        return h;
    }

    private double[][] evaluate(Mlp mlp, double[][] x) {
        double[][] h = x;
        int last = mlp.weights().size() - 1;
        for (int i = 0; i <= last; i++) {
            int in = mlp.ins().get(i);
            int out = mlp.outs().get(i);
            double[] w = Init.values(mlp.weights().get(i));
            double[] b = Init.values(mlp.biases().get(i));
            h = Dense.affine(h, w, b, in, out);
            if (i < last) {
                h = Dense.activate(options.activation(), h);
            }
        }
        return h;
    }
}
