package koopman4j.layers.spnode;

import java.util.HashMap;
import java.util.Map;
import koopman4j.core.data.InvalidDataException;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J adapter of {@link HurwitzLinear}: a feed-forward layer u ↦ A_L u (rows: u·A_Lᵀ), or, with a
 * nonlinearity layer ({@link BilinearLayer}, {@link LipschitzLayer}), the whole right-hand side
 * u ↦ A_L u + g(u) of eq. 2. Parameters lS, lG [1, n(n+1)/2], lU [1, n(n−1)/2] (n &gt; 1), then
 * g's parameters with the prefix "g" (gC, gW0, …). Initial values come from {@link HurwitzLinear#initialValues} with
 * this layer's seed, not from the network's weight initialisation.
 *
 * <p>Note (DL4J 1.0.0-M2.1): for every {@code SameDiffLayer}, this one included, the network reports
 * twice the parameter gradient a built-in layer would (see SameDiffLayerAdaptersTest), so SGD-type
 * updaters take twice the step; halve the learning rate to match a plain-SameDiff trainer.
 */
public class HurwitzLayer extends SameDiffLayer {

    /** g's parameter keys get this prefix; DL4J splits keys at "_" to find the layer, so no "_". */
    private static final String G_PREFIX = "g";

    private int dimension;
    private double mu;
    private long seed;
    private SameDiffLayer nonlinearity;

    /** For JSON deserialisation. */
    protected HurwitzLayer() {
    }

    /** u ↦ A_L u. */
    public HurwitzLayer(HurwitzLinear.Options options, long seed) {
        this(options, seed, null);
    }

    /** u ↦ A_L u + g(u), g a {@link BilinearLayer} or {@link LipschitzLayer} of the same dimension (null: none). */
    public HurwitzLayer(HurwitzLinear.Options options, long seed, SameDiffLayer nonlinearity) {
        if (nonlinearity != null && !(nonlinearity instanceof BilinearLayer || nonlinearity instanceof LipschitzLayer)) {
            throw new IllegalArgumentException("g must be a BilinearLayer or a LipschitzLayer, got " + nonlinearity.getClass().getSimpleName());
        }
        int gDimension = nonlinearity instanceof BilinearLayer b ? b.options().dimension()
                : nonlinearity instanceof LipschitzLayer l ? l.options().dimension() : options.dimension();
        if (gDimension != options.dimension()) {
            throw new InvalidDataException("model: the nonlinear part has dimension " + gDimension
                    + " but the linear part has " + options.dimension());
        }
        this.dimension = options.dimension();
        this.mu = options.mu();
        this.seed = seed;
        this.nonlinearity = nonlinearity;
    }

    public HurwitzLinear.Options options() {
        return new HurwitzLinear.Options(dimension, mu);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(dimension);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        HurwitzLinear.Options o = options();
        params.addWeightParam(HurwitzLinear.L_S, 1, o.lowerCount());
        params.addWeightParam(HurwitzLinear.L_G, 1, o.lowerCount());
        if (dimension > 1) {
            params.addWeightParam(HurwitzLinear.L_U, 1, o.strictlyLowerCount());
        }
        if (nonlinearity != null) {
            SDLayerParams inner = new SDLayerParams();
            nonlinearity.defineParameters(inner);
            inner.getWeightParams().forEach((k, shape) -> params.addWeightParam(G_PREFIX + k, shape));
            inner.getBiasParams().forEach((k, shape) -> params.addBiasParam(G_PREFIX + k, shape));
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        HurwitzLinear.initialValues(options(), seed).forEach((k, v) -> assign(params.get(k), v));
        if (nonlinearity != null) {
            nonlinearity.initializeParameters(inner(params));
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        HurwitzLinear.Options o = options();
        HurwitzLinear linear = HurwitzLinear.of(o,
                params.get(HurwitzLinear.L_S).reshape(o.lowerCount()),
                params.get(HurwitzLinear.L_G).reshape(o.lowerCount()),
                dimension > 1 ? params.get(HurwitzLinear.L_U).reshape(o.strictlyLowerCount()) : null);
        SDVariable out = linear.apply(sd, input);
        return nonlinearity == null ? out : out.add(nonlinearity.defineLayer(sd, input, inner(params), mask));
    }

    /** The entries of g, with the prefix removed. */
    private static <T> Map<String, T> inner(Map<String, T> params) {
        Map<String, T> inner = new HashMap<>();
        params.forEach((k, v) -> {
            if (k.startsWith(G_PREFIX)) {
                inner.put(k.substring(G_PREFIX.length()), v);
            }
        });
        return inner;
    }

    /** Copies row-major values into a parameter view of any shape. */
    static void assign(INDArray param, double[] values) {
        param.assign(Nd4j.create(values).reshape('c', param.shape()).castTo(param.dataType()));
    }

    public int getDimension() {
        return dimension;
    }

    public void setDimension(int dimension) {
        this.dimension = dimension;
    }

    public double getMu() {
        return mu;
    }

    public void setMu(double mu) {
        this.mu = mu;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public SameDiffLayer getNonlinearity() {
        return nonlinearity;
    }

    public void setNonlinearity(SameDiffLayer nonlinearity) {
        this.nonlinearity = nonlinearity;
    }
}
