package koopman4j.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.io.AtomicFiles;
import koopman4j.core.metrics.Evaluation;
import koopman4j.core.metrics.Forecaster;
import koopman4j.core.model.DictionaryResponses;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained Deep DMD model (seed 000, §2.2): the dictionary ψ as a SameDiff inference graph, the
 * Koopman matrix K, and the normalisation of the states. Forecasts are in original units:
 * one step x₊ = [Kψ(z)]_{1:n}, rollout ψ_k = K^k ψ(z₀) read back from the first n entries, z the
 * normalised state. With a {@link DelayEmbedding} the model's state z is the normalised delay vector
 * of the n measured states, and forecasts are its leading n (current) entries. Immutable; saved as a
 * directory with {@code model.json} and {@code graph.fb}. Trained by {@code koopman4j.api.DeepDmd.fit}.
 */
public final class DeepKoopman implements KoopmanModel {

    public static final String KIND = "deep-dmd";
    public static final int FORMAT_VERSION = 1;
    private static final String GRAPH_FILE = "graph.fb";
    private static final String MODEL_FILE = "model.json";
    /** model.json's record of graph.fb's CRC-32. */
    private static final String GRAPH_CRC = "graph_crc32";

    private final SameDiff graph;
    private final double[][] k;
    private final Normalisation normalisation;
    /** The normalisation of the measured (current) states, the leading columns of {@link #normalisation}. */
    private final Normalisation measuredNormalisation;
    private final DeepDictionary.Options dictionary;
    private final DelayEmbedding embedding;
    private final List<String> stateNames;
    private final double dt;
    private final JsonNode provenance;

    /**
     * @param graph         inference graph of {@link DeepKoopmanGraph#inference}, weights set
     * @param normalisation of the model's states (the delay vectors when {@code embedding} has delays)
     * @param stateNames    the measured states
     * @param provenance    config, data description and seed the model was trained from (saved as is)
     */
    public DeepKoopman(SameDiff graph, Normalisation normalisation, DeepDictionary.Options dictionary, DelayEmbedding embedding,
                       List<String> stateNames, double dt, JsonNode provenance) {
        if (embedding.dimension(stateNames.size()) != dictionary.inputs() || normalisation.dimension() != dictionary.inputs()) {
            throw new InvalidDataException("model: " + stateNames.size() + " measured states with " + embedding.delays()
                    + " delays do not make the dictionary's " + dictionary.inputs() + " inputs");
        }
        this.graph = graph;
        this.k = graph.getVariable(DeepKoopmanGraph.K).getArr().castTo(DataType.DOUBLE).toDoubleMatrix();
        this.normalisation = normalisation;
        int n = stateNames.size();
        this.measuredNormalisation = new Normalisation(java.util.Arrays.copyOf(normalisation.mean(), n),
                java.util.Arrays.copyOf(normalisation.scale(), n));
        this.dictionary = dictionary;
        this.embedding = embedding;
        this.stateNames = List.copyOf(stateNames);
        this.dt = dt;
        this.provenance = provenance;
    }

    /** Entries of the model's state: the measured states, times delays + 1. */
    public int stateDimension() {
        return dictionary.inputs();
    }

    public DelayEmbedding embedding() {
        return embedding;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The names of the model's state entries (the delay vector's with an embedding). */
    @Override
    public List<String> inputNames() {
        return embedding.names(stateNames);
    }

    @Override
    public TrajectorySet prepare(TrajectorySet measured) {
        return embedding.embed(measured);
    }

    public int liftedDimension() {
        return dictionary.liftedDimension();
    }

    /** K (m × m), ψ₊ = Kψ; a copy. */
    public double[][] koopmanMatrix() {
        double[][] c = new double[k.length][];
        for (int i = 0; i < k.length; i++) {
            c[i] = k[i].clone();
        }
        return c;
    }

    /** The measured states, whose current values the model forecasts. */
    @Override
    public List<String> stateNames() {
        return stateNames;
    }

    /** The sample step K advances by; a Koopman matrix is tied to it. */
    @Override
    public double dt() {
        return dt;
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    public JsonNode provenance() {
        return provenance;
    }

    /** ρ(K) and γ(K), K's distance to the matrices with an eigenvalue on the unit circle (seed 002, Algorithm 2). */
    @Override
    public StabilityCertificate stability() {
        return StabilityCertificate.discrete(k);
    }

    /** One-step and K^kψ(x₀) rollout errors, and the re-encoded rollout's ({@link #reencoded()}). */
    @Override
    public Evaluation evaluate(TrajectorySet data, int... horizons) {
        KoopmanModel.checkData(this, data, horizons);
        return Evaluation.of(this, reencoded(), data, horizons);
    }

    /** The inference graph (ψ and K), e.g. to copy its weights into a training graph. */
    public SameDiff graph() {
        return graph;
    }

    /** ψ(x) of states in original units (rows), in double precision. */
    public double[][] lift(double[][] states) {
        checkStates(states);
        INDArray z = Nd4j.create(normalisation.apply(states)).castTo(graph.getVariable(DeepKoopmanGraph.K).dataType());
        INDArray psi = graph.output(Map.of(DeepKoopmanGraph.X, z), DeepKoopmanGraph.PSI).get(DeepKoopmanGraph.PSI);
        // one bulk copy: INDArray.toDoubleMatrix() allocates an array per row, which dominated evaluation
        double[] flat = psi.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int m = (int) psi.columns();
        double[][] rows = new double[(int) psi.rows()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = java.util.Arrays.copyOfRange(flat, r * m, (r + 1) * m);
        }
        return rows;
    }

    /**
     * The learned dictionary functions' responses to perturbations along each input (seed 000, Fig. 3): each
     * input swept over the training data's mean ± 2 standard deviations (the normalisation's), the others held at
     * their means.
     */
    public DictionaryResponses dictionaryResponses(int points) {
        double[] halfWidth = normalisation.scale().clone();
        for (int i = 0; i < halfWidth.length; i++) {
            halfWidth[i] *= 2;
        }
        return dictionaryResponses(normalisation.mean(), halfWidth, points);
    }

    /** The same around {@code reference} (original units), input i swept over reference_i ± halfWidth_i. */
    public DictionaryResponses dictionaryResponses(double[] reference, double[] halfWidth, int points) {
        if (reference.length != stateDimension()) {
            throw new InvalidDataException("dictionary responses: the reference has " + reference.length + " entries; the model expects "
                    + stateDimension() + " " + inputNames());
        }
        return DictionaryResponses.sweep(inputNames(), reference, halfWidth, points, this::lift);
    }

    @Override
    public double[][] step(double[][] states) {
        double[][] next = advance(lift(states));
        return readState(next);
    }

    @Override
    public double[][][] rollout(double[][] initial, int horizon) {
        double[][] psi = lift(initial);
        double[][][] out = new double[initial.length][horizon][];
        for (int s = 0; s < horizon; s++) {
            psi = advance(psi);
            double[][] x = readState(psi);
            for (int r = 0; r < initial.length; r++) {
                out[r][s] = x[r];
            }
        }
        return out;
    }

    /**
     * The model used as a nonlinear map: z_{k+1} = [Kψ(z_k)]_{1:n}, re-encoding every step; with a delay
     * embedding, the next delay vector shifts the forecast current values in ({@link DelayEmbedding.Register}).
     */
    public Forecaster reencoded() {
        DeepKoopman model = this;
        return new Forecaster() {
            @Override
            public TrajectorySet prepare(TrajectorySet measured) {
                return model.prepare(measured);
            }

            @Override
            public double[][] step(double[][] states) {
                return model.step(states);
            }

            @Override
            public double[][][] rollout(double[][] initial, int horizon) {
                double[][][] out = new double[initial.length][horizon][];
                DelayEmbedding.Register register = embedding.register(initial);
                double[][] z = initial;
                for (int s = 0; s < horizon; s++) {
                    z = register.next(normalisation.invert(head(advance(lift(z)), stateDimension())));
                    for (int r = 0; r < initial.length; r++) {
                        out[r][s] = java.util.Arrays.copyOf(z[r], stateNames.size());
                    }
                }
                return out;
            }
        };
    }

    /** Rows ψ ↦ Kψ. */
    private double[][] advance(double[][] psi) {
        int m = k.length;
        double[][] out = new double[psi.length][m];
        for (int r = 0; r < psi.length; r++) {
            double[] p = psi[r];
            double[] o = out[r];
            for (int i = 0; i < m; i++) {
                double s = 0;
                double[] ki = k[i];
                for (int j = 0; j < m; j++) {
                    s += ki[j] * p[j];
                }
                o[i] = s;
            }
        }
        return out;
    }

    /** The measured states in original units, the first n entries of ψ. */
    private double[][] readState(double[][] psi) {
        return measuredNormalisation.invert(head(psi, stateNames.size()));
    }

    private static double[][] head(double[][] rows, int columns) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = java.util.Arrays.copyOf(rows[r], columns);
        }
        return out;
    }

    private void checkStates(double[][] states) {
        for (int r = 0; r < states.length; r++) {
            if (states[r].length != stateDimension()) {
                throw new InvalidDataException("state " + r + " has " + states[r].length + " entries; the model expects "
                        + stateDimension() + " " + inputNames());
            }
        }
    }

    /**
     * Writes {@code model.json} and {@code graph.fb} as the directory {@code dir}, replacing it whole
     * ({@link AtomicFiles#writeDirectory}: a kill leaves the old model or the new one, never a mix).
     */
    @Override
    public void save(Path dir) throws IOException {
        AtomicFiles.writeDirectory(dir, this::writeFiles);
    }

    private void writeFiles(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("kind", KIND);
        root.put("version", FORMAT_VERSION);
        root.putPOJO("stateNames", stateNames);
        root.put("dt", dt);
        ObjectNode e = root.putObject("delayEmbedding");
        e.put("delays", embedding.delays());
        e.put("lag", embedding.lag());
        ObjectNode d = root.putObject("dictionary");
        d.put("inputs", dictionary.inputs());
        d.put("depth", dictionary.depth());
        d.put("width", dictionary.width());
        d.put("outputs", dictionary.outputs());
        d.put("activation", dictionary.activation().id());
        d.put("residual", dictionary.residual());
        d.put("dropout", dictionary.dropout());
        ObjectNode norm = root.putObject("normalisation");
        norm.putPOJO("mean", normalisation.mean());
        norm.putPOJO("scale", normalisation.scale());
        root.putPOJO("koopman", k);
        root.set("provenance", provenance == null ? json.createObjectNode() : provenance);
        graph.save(dir.resolve(GRAPH_FILE).toFile(), false);
        // checked before SameDiff reads the graph: a damaged FlatBuffer can ask it for any amount of memory
        root.put(GRAPH_CRC, crc(Files.readAllBytes(dir.resolve(GRAPH_FILE))));
        json.writeValue(dir.resolve(MODEL_FILE).toFile(), root);
    }

    private static boolean allFinite(INDArray a) {
        for (double x : a.dup().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble()) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** Loads a model saved by {@link #save}; a missing or corrupt directory is bad input. */
    public static DeepKoopman load(Path dir) {
        Path modelFile = dir.resolve(MODEL_FILE);
        Path graphFile = dir.resolve(GRAPH_FILE);
        if (!Files.isDirectory(dir)) {
            throw new InvalidDataException(dir + ": no such model directory");
        }
        if (!Files.isRegularFile(modelFile)) {
            throw new InvalidDataException(dir + ": not a koopman4j model (no " + MODEL_FILE + ")");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(modelFile.toFile());
        } catch (IOException e) {
            throw new InvalidDataException(modelFile + ": corrupt model file (" + firstLine(e.getMessage()) + ")", e);
        }
        if (!KIND.equals(root.path("kind").asText())) {
            throw new InvalidDataException(modelFile + ": model kind is '" + root.path("kind").asText() + "', expected " + KIND);
        }
        try {
            JsonNode d = root.get("dictionary");
            DeepDictionary.Options dict = new DeepDictionary.Options(d.get("inputs").asInt(), d.get("depth").asInt(),
                    d.get("width").asInt(), d.get("outputs").asInt(), Activation.parse(d.get("activation").asText()),
                    d.get("residual").asBoolean(), d.get("dropout").asDouble());
            ObjectMapper json = new ObjectMapper();
            Normalisation norm = new Normalisation(json.treeToValue(root.get("normalisation").get("mean"), double[].class),
                    json.treeToValue(root.get("normalisation").get("scale"), double[].class));
            List<String> names = List.of(json.treeToValue(root.get("stateNames"), String[].class));
            JsonNode e = root.get("delayEmbedding"); // absent in models saved before delay embeddings
            DelayEmbedding embedding = e == null ? DelayEmbedding.NONE
                    : new DelayEmbedding(e.get("delays").asInt(), e.get("lag").asInt());
            SameDiff graph = loadGraph(graphFile, root.get(GRAPH_CRC));
            if (graph.getVariable(DeepKoopmanGraph.K) == null || graph.getVariable(DeepKoopmanGraph.PSI) == null) {
                throw new InvalidDataException(graphFile + ": corrupt model graph (no K or psi)");
            }
            for (org.nd4j.autodiff.samediff.SDVariable v : graph.variables()) {
                if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE && !allFinite(v.getArr())) {
                    throw new InvalidDataException(graphFile + ": parameter '" + v.name() + "' holds a non-finite value; the model is damaged");
                }
            }
            double dt = root.get("dt").asDouble(Double.NaN);
            if (!(dt > 0) || !Double.isFinite(dt)) {
                throw new InvalidDataException(modelFile + ": dt is " + root.get("dt") + ", expected a positive number");
            }
            return new DeepKoopman(graph, norm, dict, embedding, names, dt, root.get("provenance"));
        } catch (NullPointerException | IOException | IllegalArgumentException e) {
            throw new InvalidDataException(modelFile + ": corrupt model file (missing or malformed field)", e);
        }
    }

    /**
     * The graph of graph.fb, refused when its CRC-32 is not the one model.json records (models saved before the CRC
     * have none; for them a graph that asks for more memory than the heap has is refused as damaged).
     */
    private static SameDiff loadGraph(Path graphFile, JsonNode crc) throws IOException {
        if (!Files.isRegularFile(graphFile)) {
            throw new InvalidDataException(graphFile.getParent() + ": model has no " + GRAPH_FILE);
        }
        if (crc != null && (!crc.isIntegralNumber() || crc(Files.readAllBytes(graphFile)) != crc.asLong())) {
            throw new InvalidDataException(graphFile + ": CRC-32 does not match " + MODEL_FILE + " (damaged)");
        }
        try {
            return SameDiff.load(new File(graphFile.toString()), false);
        } catch (RuntimeException e) {
            throw new InvalidDataException(graphFile + ": corrupt model graph (" + firstLine(String.valueOf(e.getMessage())) + ")", e);
        } catch (OutOfMemoryError e) { // one allocation a damaged size field asked for, refused whole: nothing is left half done
            throw new InvalidDataException(graphFile + ": corrupt model graph (it asks for more memory than the heap has)", e);
        }
    }

    private static long crc(byte[] bytes) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(bytes);
        return c.getValue();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
