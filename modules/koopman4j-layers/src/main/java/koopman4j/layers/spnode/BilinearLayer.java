package koopman4j.layers.spnode;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J adapter of {@link BilinearNet} (eq. 6): a feed-forward layer u ↦ g(u). Parameters C, D
 * [R·n, n] and (with bias) b [1, n], initialised by {@link BilinearNet#initialValues} with this
 * layer's seed.
 *
 * <p>Note (DL4J 1.0.0-M2.1): for every {@code SameDiffLayer}, this one included, the network reports
 * twice the parameter gradient a built-in layer would (see SameDiffLayerAdaptersTest), so SGD-type
 * updaters take twice the step; halve the learning rate to match a plain-SameDiff trainer.
 */
public class BilinearLayer extends SameDiffLayer {

    private int dimension;
    private int rank;
    private boolean bias;
    private long seed;

    /** For JSON deserialisation. */
    protected BilinearLayer() {
    }

    public BilinearLayer(BilinearNet.Options options, long seed) {
        this.dimension = options.dimension();
        this.rank = options.rank();
        this.bias = options.bias();
        this.seed = seed;
    }

    public BilinearNet.Options options() {
        return new BilinearNet.Options(dimension, rank, bias);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(dimension);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(BilinearNet.C, (long) rank * dimension, dimension);
        params.addWeightParam(BilinearNet.D, (long) rank * dimension, dimension);
        if (bias) {
            params.addBiasParam(BilinearNet.B, 1, dimension);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        BilinearNet.initialValues(options(), seed).forEach((k, v) -> HurwitzLayer.assign(params.get(k), v));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        return BilinearNet.of(options(), params.get(BilinearNet.C), params.get(BilinearNet.D), bias ? params.get(BilinearNet.B) : null)
                .apply(sd, input);
    }

    public int getDimension() {
        return dimension;
    }

    public void setDimension(int dimension) {
        this.dimension = dimension;
    }

    public int getRank() {
        return rank;
    }

    public void setRank(int rank) {
        this.rank = rank;
    }

    public boolean isBias() {
        return bias;
    }

    public void setBias(boolean bias) {
        this.bias = bias;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }
}
