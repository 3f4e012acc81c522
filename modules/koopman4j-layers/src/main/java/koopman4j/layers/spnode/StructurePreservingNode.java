package koopman4j.layers.spnode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.io.AtomicFiles;
import koopman4j.core.metrics.ContinuousForecaster;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.metrics.Evaluation;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import koopman4j.layers.integrators.Integrator;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A structure-preserving neural ODE (seed 001): du/dt = A_L u + g(u) with A_L Hurwitz-shifted by μ
 * ({@link HurwitzLinear}), g bilinear ({@link BilinearNet}), Lipschitz-controlled ({@link LipschitzMlp})
 * or absent, optionally on the latent u = f_E(x) of an {@link Autoencoder} (x = f_D(u)), advanced by
 * ETD1, IMEX or RK4 with step {@code dt}, or along any given times ({@link #forecast}).
 *
 * <p>Per-state scaling (seed 001 §5.2 trains on ŷ₂ = 10⁴·y₂): the networks see x̂ = s ⊙ x for the model's
 * {@link #scale() scale} s, and every public method takes and returns original units — {@link #encode} multiplies
 * by s before f_E, {@link #decode} divides by s after f_D — so step, rollout, forecast, evaluate and predict never
 * show scaled numbers. Without an autoencoder the latent state is x̂ itself.
 *
 * <p>The parameters live in one SameDiff instance as named variables ({@code linear/…}, {@code nonlinear/…},
 * {@code autoencoder/…}); a trainer builds its training graphs from the same {@link #declare} and copies values
 * in and out by name. Forecasts run on plain double arrays. Saved as a directory with {@code model.json}
 * (kind, version, options, state names, dt, scale, provenance and every parameter; version 1 files, which
 * predate the scale, load with scale 1). Trained by {@code koopman4j.api.SpNode.fit}.
 */
public final class StructurePreservingNode implements KoopmanModel, ContinuousForecaster {

    public static final String KIND = "sp-node";
    /** 2: model.json carries {@code scale} (an older reader would ignore it and forecast in the wrong units). */
    static final int VERSION = 2;

    /**
     * What the model is: the physical dimension, the Hurwitz part (on the latent dimension), at most one of
     * bilinear / Lipschitz (null for none), the autoencoder (null for none) and the integrator.
     */
    public record Options(int inputs, HurwitzLinear.Options linear, BilinearNet.Options bilinear,
                          LipschitzMlp.Options lipschitz, Autoencoder.Options autoencoder, Integrator integrator) {
        public Options {
            int latent = autoencoder == null ? inputs : autoencoder.latent();
            if (bilinear != null && lipschitz != null) {
                throw new InvalidDataException("model.nonlinear: give a bilinear or a Lipschitz network, not both");
            }
            if (autoencoder != null && autoencoder.inputs() != inputs) {
                throw new InvalidDataException("model.autoencoder: encodes " + autoencoder.inputs() + " states but the data has " + inputs);
            }
            if (linear.dimension() != latent || bilinear != null && bilinear.dimension() != latent
                    || lipschitz != null && lipschitz.dimension() != latent) {
                throw new InvalidDataException("model: the linear and nonlinear parts must act on the " + latent + "-dimensional "
                        + (autoencoder == null ? "state" : "latent state"));
            }
        }
    }

    /** The parameters of one model inside a SameDiff instance. */
    public record Parts(HurwitzLinear linear, Nonlinearity nonlinear, Autoencoder autoencoder) {
        public List<SDVariable> parameters() {
            List<SDVariable> p = new ArrayList<>(linear.parameters());
            if (nonlinear != null) {
                p.addAll(nonlinear.parameters());
            }
            if (autoencoder != null) {
                p.addAll(autoencoder.parameters());
            }
            return p;
        }
    }

    private final Options options;
    private final Parts parts;
    private final List<String> stateNames;
    private final double dt;
    private final double[] scale;
    private final JsonNode provenance;
    private final double[][] a;

    /** A model over the current values of {@code parts}' variables (copied: later training does not change it), unscaled. */
    public StructurePreservingNode(Options options, Parts parts, List<String> stateNames, double dt, JsonNode provenance) {
        this(options, parts, stateNames, dt, null, provenance);
    }

    /**
     * A model whose networks see s ⊙ x for {@code scale} s (one finite factor &gt; 0 per state; null for none), over the
     * current values of {@code parts}' variables (copied).
     */
    public StructurePreservingNode(Options options, Parts parts, List<String> stateNames, double dt, double[] scale,
                                   JsonNode provenance) {
        this(options, copy(options, parts), stateNames, dt, checkScale(scale, options.inputs(), "sp-node"), provenance, true);
    }

    private StructurePreservingNode(Options options, Parts own, List<String> stateNames, double dt, double[] scale,
                                    JsonNode provenance, boolean shared) {
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new InvalidDataException("sp-node: the forecast step dt must be a finite number > 0, got " + dt);
        }
        this.options = options;
        this.parts = own; // never changed after construction, so models made by withStep / withScale share it
        this.stateNames = List.copyOf(stateNames);
        this.dt = dt;
        this.scale = scale;
        this.provenance = provenance;
        this.a = own.linear().matrixValues();
    }

    /** The scale as given (ones for null), refused unless it has one finite factor &gt; 0 per state. */
    static double[] checkScale(double[] scale, int inputs, String where) {
        if (scale == null) {
            double[] ones = new double[inputs];
            java.util.Arrays.fill(ones, 1.0);
            return ones;
        }
        if (scale.length != inputs) {
            throw new InvalidDataException(where + ": scale has " + scale.length + " factors for a model of " + inputs + " states");
        }
        for (int i = 0; i < scale.length; i++) {
            if (!(scale[i] > 0) || !Double.isFinite(scale[i])) {
                throw new InvalidDataException(where + ": scale[" + i + "] must be a finite number > 0, got " + scale[i]);
            }
        }
        return scale.clone();
    }

    /** Declares every parameter of a model with {@code options} in sd (seeded), under fixed names. */
    public static Parts declare(SameDiff sd, Options options, DataType type, long seed) {
        HurwitzLinear linear = HurwitzLinear.declare(sd, "linear/", options.linear(), type, seed);
        Nonlinearity g = options.bilinear() != null ? BilinearNet.declare(sd, "nonlinear/", options.bilinear(), type, seed + 1)
                : options.lipschitz() != null ? LipschitzMlp.declare(sd, "nonlinear/", options.lipschitz(), type, seed + 1) : null;
        Autoencoder ae = options.autoencoder() == null ? null
                : Autoencoder.declare(sd, "autoencoder/", options.autoencoder(), type, seed + 2);
        return new Parts(linear, g, ae);
    }

    /** Every parameter's current value by name (copies). */
    public static Map<String, INDArray> values(Parts parts) {
        Map<String, INDArray> values = new LinkedHashMap<>();
        for (SDVariable v : parts.parameters()) {
            values.put(v.name(), v.getArr().dup());
        }
        return values;
    }

    /** Assigns values by name; every parameter must be there with its shape. */
    public static void assign(Parts parts, Map<String, INDArray> values, String source) {
        for (SDVariable v : parts.parameters()) {
            INDArray value = values.get(v.name());
            if (value == null || value.length() != v.getArr().length()) {
                throw new InvalidDataException(source + ": parameter '" + v.name() + "' is missing or has the wrong size");
            }
            v.getArr().assign(value.reshape(v.getArr().shape()).castTo(v.getArr().dataType()));
        }
    }

    private static Parts copy(Options options, Parts parts) {
        SameDiff own = SameDiff.create();
        Parts copy = declare(own, options, DataType.DOUBLE, 0);
        assign(copy, values(parts), "sp-node");
        return copy;
    }

    public Options options() {
        return options;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> stateNames() {
        return stateNames;
    }

    /** The step a forecast advances by ({@link #withStep} gives the same model with another). */
    @Override
    public double dt() {
        return dt;
    }

    /** The config, data description and seed the model was trained from, as saved. */
    public JsonNode provenance() {
        return provenance;
    }

    /** A_L's spectral abscissa and β(A_L − μI), its distance to the line Re z = μ (seed 002, Algorithm 1, §4). */
    @Override
    public StabilityCertificate stability() {
        return StabilityCertificate.halfPlane(a, options.linear().mu());
    }

    /** The forecast from x0 with step h instead of {@link #dt()} (an ODE may be deployed with other steps than trained). */
    public Trajectory predict(double[] x0, int steps, double h) {
        return withStep(h).predict(x0, steps);
    }

    /**
     * The errors on {@code data}, forecasting with the data's own sample step, which must be uniform
     * (the model's {@link #dt()} is not used).
     */
    @Override
    public Evaluation evaluate(TrajectorySet data, int... horizons) {
        KoopmanModel.checkData(this, data, horizons);
        double h = data.uniformStep();
        if (Double.isNaN(h)) {
            throw new InvalidDataException("samples are not evenly spaced in time; evaluating an sp-node model needs one sample step");
        }
        return Evaluation.of(withStep(h), data, horizons);
    }

    /**
     * The errors of forecasts from each trajectory's first sample along its own sample times, of any spacing (e.g.
     * log-spaced, where {@link #evaluate} needs one step): overall, per component and pointwise
     * ({@link ErrorMetrics#alongTrajectories}).
     */
    public ErrorMetrics.TrajectoryReport evaluateAlong(TrajectorySet data) {
        KoopmanModel.checkData(this, data, 1);
        return ErrorMetrics.alongTrajectories(this, data);
    }

    /** A_L at the model's values. */
    public double[][] linearOperator() {
        return a.clone();
    }

    /** The factors s of x̂ = s ⊙ x that the networks see (ones when the model is unscaled). */
    public double[] scale() {
        return scale.clone();
    }

    /** The same model forecasting with step h (the exponential integrator may be deployed with other steps than trained). */
    public StructurePreservingNode withStep(double h) {
        return new StructurePreservingNode(options, parts, stateNames, h, scale, provenance, true);
    }

    /**
     * The same networks for data in units 1/s of theirs: a model trained on s ⊙ x (in which it was unscaled) becomes
     * the model of x. Null: unscaled.
     */
    public StructurePreservingNode withScale(double[] s) {
        return new StructurePreservingNode(options, parts, stateNames, dt, checkScale(s, options.inputs(), "sp-node"), provenance, true);
    }

    @Override
    public double[][][] forecast(double[][] initial, double[] times) {
        if (times.length < 1) {
            throw new InvalidDataException("sp-node forecast: no times");
        }
        for (int k = 1; k < times.length; k++) {
            if (!(times[k] > times[k - 1]) || !Double.isFinite(times[k])) {
                throw new InvalidDataException("sp-node forecast: times must be finite and increasing, got " + times[k - 1] + " then "
                        + times[k]);
            }
        }
        double[][][] out = new double[initial.length][times.length][];
        double[][] u = encode(initial);
        for (int k = 0; k < times.length; k++) {
            if (k > 0) {
                u = advance(u, times[k] - times[k - 1]);
            }
            double[][] x = decode(u);
            for (int r = 0; r < initial.length; r++) {
                out[r][k] = x[r];
            }
        }
        return out;
    }

    @Override
    public double[][] step(double[][] states) {
        return decode(advance(encode(states), dt));
    }

    @Override
    public double[][][] rollout(double[][] initial, int horizon) {
        double[][][] out = new double[initial.length][horizon][];
        double[][] u = encode(initial);
        for (int k = 0; k < horizon; k++) {
            u = advance(u, dt);
            double[][] x = decode(u);
            for (int r = 0; r < initial.length; r++) {
                out[r][k] = x[r];
            }
        }
        return out;
    }

    /** One step of the latent ODE from each row u with step h, by the model's integrator. */
    public double[][] advance(double[][] u, double h) {
        UnaryOperator<double[][]> g = parts.nonlinear() == null ? v -> new double[v.length][v[0].length] : parts.nonlinear()::evaluate;
        return options.integrator().step(a, g, u, h);
    }

    /** u = f_E(s ⊙ x) for x in original units (s ⊙ x itself without an autoencoder). */
    public double[][] encode(double[][] x) {
        double[][] scaled = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            scaled[r] = new double[x[r].length];
            for (int i = 0; i < x[r].length; i++) {
                scaled[r][i] = x[r][i] * scale[i];
            }
        }
        return parts.autoencoder() == null ? scaled : parts.autoencoder().encode(scaled);
    }

    /** x = f_D(u) / s in original units (u / s without an autoencoder). */
    public double[][] decode(double[][] u) {
        double[][] scaled = parts.autoencoder() == null ? u : parts.autoencoder().decode(u);
        double[][] x = new double[scaled.length][];
        for (int r = 0; r < scaled.length; r++) {
            x[r] = new double[scaled[r].length];
            for (int i = 0; i < x[r].length; i++) {
                x[r][i] = scaled[r][i] / scale[i];
            }
        }
        return x;
    }

    /** Writes {@code model.json} as the directory {@code dir}, replacing it whole ({@link AtomicFiles#writeDirectory}). */
    @Override
    public void save(Path dir) throws IOException {
        AtomicFiles.writeDirectory(dir, this::writeFiles);
    }

    private void writeFiles(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("kind", KIND);
        root.put("version", VERSION);
        root.set("options", json.valueToTree(options));
        root.set("state_names", json.valueToTree(stateNames));
        root.put("dt", dt);
        root.set("scale", json.valueToTree(scale));
        ObjectNode params = root.putObject("parameters");
        for (Map.Entry<String, INDArray> e : values(parts).entrySet()) {
            ArrayNode values = params.putArray(e.getKey());
            for (double v : e.getValue().dup().castTo(DataType.DOUBLE).data().asDouble()) {
                values.add(v);
            }
        }
        root.set("provenance", provenance);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.json").toFile(), root);
    }

    /** The saved options; an out-of-range value gets the options' own message, prefixed by the file. */
    private static Options options(ObjectMapper json, JsonNode node, Path file) throws IOException {
        try {
            return json.treeToValue(node, Options.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidDataException bad) {
                throw new InvalidDataException(file + ": " + bad.getMessage(), e);
            }
            throw e;
        }
    }

    /** The saved scale: required from version 2 on, ones for version 1 (written before models had one). */
    private static double[] scale(JsonNode root, int version, int inputs, Path file) {
        JsonNode node = root.get("scale");
        if (version < 2 && node == null) {
            return checkScale(null, inputs, file.toString());
        }
        if (node == null || !node.isArray()) {
            throw new InvalidDataException(file + ": corrupt sp-node model (no scale)");
        }
        double[] s = new double[node.size()];
        for (int i = 0; i < s.length; i++) {
            if (!node.get(i).isNumber()) {
                throw new InvalidDataException(file + ": scale[" + i + "] is not a number");
            }
            s[i] = node.get(i).asDouble();
        }
        return checkScale(s, inputs, file.toString());
    }

    public static StructurePreservingNode load(Path dir) {
        Path file = dir.resolve("model.json");
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode root = json.readTree(file.toFile());
            if (!KIND.equals(root.path("kind").asText())) {
                throw new InvalidDataException(file + ": not an sp-node model");
            }
            int version = root.path("version").asInt();
            if (version < 1 || version > VERSION) {
                throw new InvalidDataException(file + ": sp-node model version " + root.path("version") + ", this koopman4j reads 1 to "
                        + VERSION);
            }
            if (!root.path("options").isObject()) {
                throw new InvalidDataException(file + ": corrupt sp-node model (no options)");
            }
            Options options = options(json, root.get("options"), file);
            SameDiff sd = SameDiff.create();
            Parts parts = declare(sd, options, DataType.DOUBLE, 0);
            Map<String, INDArray> values = new LinkedHashMap<>();
            root.path("parameters").properties().forEach(e -> {
                double[] v = new double[e.getValue().size()];
                for (int i = 0; i < v.length; i++) {
                    if (!e.getValue().get(i).isNumber()) {
                        throw new InvalidDataException(file + ": parameter '" + e.getKey() + "' has a non-numeric entry");
                    }
                    v[i] = e.getValue().get(i).asDouble();
                }
                values.put(e.getKey(), org.nd4j.linalg.factory.Nd4j.createFromArray(v));
            });
            assign(parts, values, file.toString());
            List<String> names = new ArrayList<>();
            root.path("state_names").forEach(n -> names.add(n.asText()));
            if (names.size() != options.inputs()) {
                throw new InvalidDataException(file + ": " + names.size() + " state names for a model of " + options.inputs() + " states");
            }
            double dt = root.path("dt").asDouble(Double.NaN);
            if (!(dt > 0) || !Double.isFinite(dt)) {
                throw new InvalidDataException(file + ": dt must be a finite number > 0, got " + root.path("dt"));
            }
            return new StructurePreservingNode(options, parts, names, dt, scale(root, version, options.inputs(), file),
                    root.get("provenance"), true);
        } catch (InvalidDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidDataException(file + ": corrupt sp-node model (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
