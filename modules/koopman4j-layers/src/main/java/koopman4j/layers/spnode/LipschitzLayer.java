package koopman4j.layers.spnode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import koopman4j.layers.Activation;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J adapter of {@link LipschitzMlp} (eq. 7–8): a feed-forward layer u ↦ g(u), L-Lipschitz for
 * every parameter value. Parameters W{i} [n_i, n_{i+1}] and b{i} [1, n_{i+1}], initialised by
 * {@link LipschitzMlp#initialValues} with this layer's seed.
 *
 * <p>Note (DL4J 1.0.0-M2.1): for every {@code SameDiffLayer}, this one included, the network reports
 * twice the parameter gradient a built-in layer would (see SameDiffLayerAdaptersTest), so SGD-type
 * updaters take twice the step; halve the learning rate to match a plain-SameDiff trainer.
 */
public class LipschitzLayer extends SameDiffLayer {

    private int dimension;
    private int layers;
    private int width;
    private double lipschitzBound;
    private Activation activation;
    private boolean linearOutput;
    private long seed;

    /** For JSON deserialisation. */
    protected LipschitzLayer() {
    }

    public LipschitzLayer(LipschitzMlp.Options options, long seed) {
        this.dimension = options.dimension();
        this.layers = options.layers();
        this.width = options.width();
        this.lipschitzBound = options.lipschitzBound();
        this.activation = options.activation();
        this.linearOutput = options.linearOutput();
        this.seed = seed;
    }

    public LipschitzMlp.Options options() {
        return new LipschitzMlp.Options(dimension, layers, width, lipschitzBound, activation, linearOutput);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(dimension);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        LipschitzMlp.Options o = options();
        for (int i = 0; i < layers; i++) {
            params.addWeightParam(LipschitzMlp.weightName(i), o.inputsOf(i), o.outputsOf(i));
            params.addBiasParam(LipschitzMlp.biasName(i), 1, o.outputsOf(i));
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        LipschitzMlp.initialValues(options(), seed).forEach((k, v) -> HurwitzLayer.assign(params.get(k), v));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            w.add(params.get(LipschitzMlp.weightName(i)));
            b.add(params.get(LipschitzMlp.biasName(i)));
        }
        return LipschitzMlp.of(options(), w, b).apply(sd, input);
    }

    public int getDimension() {
        return dimension;
    }

    public void setDimension(int dimension) {
        this.dimension = dimension;
    }

    public int getLayers() {
        return layers;
    }

    public void setLayers(int layers) {
        this.layers = layers;
    }

    public int getWidth() {
        return width;
    }

    public void setWidth(int width) {
        this.width = width;
    }

    public double getLipschitzBound() {
        return lipschitzBound;
    }

    public void setLipschitzBound(double lipschitzBound) {
        this.lipschitzBound = lipschitzBound;
    }

    public Activation getActivation() {
        return activation;
    }

    public void setActivation(Activation activation) {
        this.activation = activation;
    }

    public boolean isLinearOutput() {
        return linearOutput;
    }

    public void setLinearOutput(boolean linearOutput) {
        this.linearOutput = linearOutput;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }
}
