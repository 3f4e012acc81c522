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
 * ETD1, IMEX or RK4 with step {@code dt}.
 *
 * <p>The parameters live in one SameDiff instance as named variables ({@code linear/…}, {@code nonlinear/…},
 * {@code autoencoder/…}); a trainer builds its training graphs from the same {@link #declare} and copies values
 * in and out by name. Forecasts run on plain double arrays. Saved as a directory with {@code model.json}
 * (kind, options, state names, dt, provenance and every parameter). Trained by {@code koopman4j.api.SpNode.fit}.
 */
public final class StructurePreservingNode implements KoopmanModel {

    public static final String KIND = "sp-node";
    static final int VERSION = 1;

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
    private final JsonNode provenance;
    private final double[][] a;

    /** A model over the current values of {@code parts}' variables (copied: later training does not change it). */
    public StructurePreservingNode(Options options, Parts parts, List<String> stateNames, double dt, JsonNode provenance) {
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new InvalidDataException("sp-node: the forecast step dt must be a finite number > 0, got " + dt);
        }
        this.options = options;
        this.parts = copy(options, parts);
        this.stateNames = List.copyOf(stateNames);
        this.dt = dt;
        this.provenance = provenance;
        this.a = this.parts.linear().matrixValues();
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

    /** A_L at the model's values. */
    public double[][] linearOperator() {
        return a.clone();
    }

    /** The same model forecasting with step h (the exponential integrator may be deployed with other steps than trained). */
    public StructurePreservingNode withStep(double h) {
        return new StructurePreservingNode(options, parts, stateNames, h, provenance);
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

    /** u = f_E(x) (x itself without an autoencoder). */
    public double[][] encode(double[][] x) {
        return parts.autoencoder() == null ? x : parts.autoencoder().encode(x);
    }

    /** x = f_D(u) (u itself without an autoencoder). */
    public double[][] decode(double[][] u) {
        return parts.autoencoder() == null ? u : parts.autoencoder().decode(u);
    }

    /** Writes {@code dir/model.json}: kind, options, state names, dt, every parameter and the provenance. */
    @Override
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("kind", KIND);
        root.put("version", VERSION);
        root.set("options", json.valueToTree(options));
        root.set("state_names", json.valueToTree(stateNames));
        root.put("dt", dt);
        ObjectNode params = root.putObject("parameters");
        for (Map.Entry<String, INDArray> e : values(parts).entrySet()) {
            ArrayNode values = params.putArray(e.getKey());
            for (double v : e.getValue().dup().castTo(DataType.DOUBLE).data().asDouble()) {
                values.add(v);
            }
        }
        root.set("provenance", provenance);
        Path tmp = dir.resolve("model.json.tmp");
        json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, dir.resolve("model.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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

    public static StructurePreservingNode load(Path dir) {
        Path file = dir.resolve("model.json");
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode root = json.readTree(file.toFile());
            if (!KIND.equals(root.path("kind").asText())) {
                throw new InvalidDataException(file + ": not an sp-node model");
            }
            if (root.path("version").asInt() != VERSION) {
                throw new InvalidDataException(file + ": sp-node model version " + root.path("version") + ", this koopman4j reads " + VERSION);
            }
            if (!root.path("options").isObject()) {
                throw new InvalidDataException(file + ": corrupt sp-node model (no options)");
            }
            Options options = options(json, root.get("options"), file);
            SameDiff sd = SameDiff.create();
            Parts parts = declare(sd, options, DataType.DOUBLE, 0);
            Map<String, INDArray> values = new LinkedHashMap<>();
            root.path("parameters").fields().forEachRemaining(e -> {
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
            return new StructurePreservingNode(options, parts, names, dt, root.get("provenance"));
        } catch (InvalidDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidDataException(file + ": corrupt sp-node model (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
