package koopman4j.edmd;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.io.AtomicFiles;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * An E-DMD model (seed 000 §2.1): a fitted dictionary ψ and a Koopman matrix K with
 * ψ(x₊) ≈ K ψ(x), K from eq. 6 (group lasso, λ &gt; 0) or its least-squares case (λ = 0), each with
 * optional Tikhonov λ₂. Immutable.
 *
 * <p>Forecasts are in original units: one step x̂₊ = [K ψ(x)]_states, and the Koopman rollout
 * ψ_k = K^k ψ(x₀) with x_k read from the state entries of ψ_k (the paper's multi-step forecast, the
 * same as Deep DMD's). Fitted by {@link #fit(TrajectorySet, Options)}; saved as {@code model.json}.
 */
public final class Edmd implements KoopmanModel {

    private static final Logger LOG = LogManager.getLogger(Edmd.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String KIND = "edmd";
    static final int VERSION = 1;

    /**
     * What to fit: the {@code dictionary} kind, its total {@code degree} (polynomial kinds; the number
     * of harmonics for trig; ignored by rbf), its number of {@code centres} (rbf; ignored otherwise),
     * the {@code angles} (trig: 1-based numbers of the angle states; ignored otherwise and kept
     * empty), the group-lasso weight {@code lambda} of eq. 6 (0: least squares), the Tikhonov weight
     * {@code tikhonov} λ₂ and the {@code seed} of the rbf k-means.
     */
    public record Options(DictionaryKind dictionary, int degree, int centres, List<Integer> angles, double lambda, double tikhonov,
                          long seed) {

        public Options {
            if (dictionary == null) {
                throw new InvalidDataException("dictionary is missing; expected legendre, hermite, monomial, rbf or trig");
            }
            if (dictionary.sizedByDegree() && degree < 1) {
                throw new InvalidDataException("degree must be ≥ 1, got " + degree);
            }
            if (!dictionary.sizedByDegree() && centres < 1) {
                throw new InvalidDataException("centres must be ≥ 1 for the rbf dictionary, got " + centres);
            }
            angles = dictionary.needsAngles() && angles != null ? List.copyOf(angles) : List.of();
            if (dictionary.needsAngles() && angles.isEmpty()) {
                throw new InvalidDataException("the trig dictionary needs angles: the 1-based numbers of the angle states, e.g. --angles 1,2,3");
            }
            if (!(lambda >= 0 && lambda < Double.POSITIVE_INFINITY)) {
                throw new InvalidDataException("lambda must be ≥ 0, got " + number(lambda));
            }
            if (!(tikhonov >= 0 && tikhonov < Double.POSITIVE_INFINITY)) {
                throw new InvalidDataException("tikhonov must be ≥ 0, got " + number(tikhonov));
            }
        }

        /** The same, the dictionary named as on the command line (legendre, hermite, monomial, rbf, trig). */
        public static Options of(String dictionary, int degree, int centres, List<Integer> angles, double lambda, double tikhonov,
                                 long seed) {
            return new Options(DictionaryKind.parse(dictionary), degree, centres, angles, lambda, tikhonov, seed);
        }

        /** The same for a dictionary without angles (legendre, hermite, monomial, rbf). */
        public static Options of(String dictionary, int degree, int centres, double lambda, double tikhonov, long seed) {
            return of(dictionary, degree, centres, List.of(), lambda, tikhonov, seed);
        }

        private static String number(double v) {
            return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : String.valueOf(v);
        }
    }

    /**
     * Provenance of a fit: the training data's size, the solver ("cholesky" or "fista"), and for FISTA
     * its iterations and final KKT residual (both 0 for the closed-form Cholesky solve).
     */
    public record Training(int trajectories, int pairs, String solver, int iterations, double kktResidual) {
    }

    private final Options options;
    private final List<String> names;
    private final DictionaryParameters parameters;
    private final Dictionary dictionary;
    /** Kᵀ, row-major: row l is column l of K, the image of ψ_l. */
    private final DMatrixRMaj kT;
    private final Training training;
    private final int[] states;
    /** The sample step of the pairs K was fitted to; NaN when they were not evenly spaced (or unknown, in older files). */
    private final double dt;

    Edmd(Options options, List<String> names, double dt, DictionaryParameters parameters, DMatrixRMaj kT, Training training) {
        this.options = options;
        this.dt = dt;
        this.names = List.copyOf(names);
        this.parameters = parameters;
        this.dictionary = parameters.dictionary();
        this.kT = kT;
        this.training = training;
        this.states = dictionary.stateIndices();
    }

    /** Fits ψ to the states of {@code train} and K to its one-step pairs. */
    public static Edmd fit(TrajectorySet train, Options options) {
        MemoryBudget.check(options, train.dimension());
        long start = System.nanoTime();
        DictionaryParameters parameters = options.dictionary().fit(train, options.degree(), options.centres(), options.angles(), options.seed());
        GramMatrices gram = GramMatrices.of(parameters.dictionary(), train);
        LOG.info("E-DMD: dictionary and G, C of {} pairs in {} s", gram.pairs(), seconds(start));
        return fit(train, options, parameters, gram, null).model();
    }

    /** A model and, for λ &gt; 0, its K as a warm start for a smaller λ. */
    record Fitted(Edmd model, DMatrixRMaj koopman) {
    }

    /** K for {@code options} from precomputed G and C (shared along a sweep), warm-started from {@code warm}. */
    static Fitted fit(TrajectorySet train, Options options, DictionaryParameters parameters, GramMatrices gram, DMatrixRMaj warm) {
        long start = System.nanoTime();
        DMatrixRMaj kT;
        DMatrixRMaj k = null;
        Training training;
        if (options.lambda() == 0) {
            kT = LeastSquares.solveTransposed(gram, options.tikhonov());
            training = new Training(train.size(), gram.pairs(), "cholesky", 0, 0);
        } else {
            GroupLasso.Solution s = warm == null
                    ? GroupLasso.solvePath(gram, options.lambda(), options.tikhonov(), GroupLasso.Settings.DEFAULT)
                    : GroupLasso.solve(gram, options.lambda(), options.tikhonov(), warm, GroupLasso.Settings.DEFAULT);
            if (!s.converged()) {
                LOG.warn("E-DMD: FISTA stopped after {} iterations with KKT residual {} above the tolerance (λ = {})",
                        s.iterations(), s.kktResidual(), options.lambda());
            }
            k = s.koopman();
            kT = k.copy();
            CommonOps_DDRM.transpose(kT);
            training = new Training(train.size(), gram.pairs(), "fista", s.iterations(), s.kktResidual());
        }
        Edmd model = new Edmd(options, train.names(), train.uniformStep(), parameters, kT, training);
        LOG.info("E-DMD: {}, λ = {}, λ₂ = {}: K by {} in {} s", model.dictionary.description(), options.lambda(), options.tikhonov(),
                training.solver(), seconds(start));
        return new Fitted(model, k);
    }

    private static String seconds(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", (System.nanoTime() - startNanos) / 1e9);
    }

    public Options options() {
        return options;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The names of the states it forecasts. */
    @Override
    public List<String> stateNames() {
        return names;
    }

    /** The sample step of the training pairs, which K advances by; NaN when they were not evenly spaced. */
    @Override
    public double dt() {
        return dt;
    }

    /** ρ(K) and γ(K), K's distance to the matrices with an eigenvalue on the unit circle (seed 002, Algorithm 2). */
    @Override
    public StabilityCertificate stability() {
        return StabilityCertificate.discrete(koopman());
    }

    public Dictionary dictionary() {
        return dictionary;
    }

    public DictionaryParameters dictionaryParameters() {
        return parameters;
    }

    public Training training() {
        return training;
    }

    /** A copy of K (m×m, rows): ψ(x₊) ≈ K ψ(x). */
    public double[][] koopman() {
        DMatrixRMaj k = kT.copy();
        CommonOps_DDRM.transpose(k);
        return GramMatrices.toArray(k);
    }

    @Override
    public double[][] step(double[][] x) {
        double[][] psi = lift(x);
        int m = dictionary.size();
        double[][] out = new double[x.length][states.length];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < states.length; i++) {
                double s = 0;
                for (int l = 0; l < m; l++) {
                    s += kT.data[l * m + states[i]] * psi[r][l];
                }
                out[r][i] = s;
            }
        }
        return out;
    }

    @Override
    public double[][][] rollout(double[][] initial, int horizon) {
        if (horizon < 1) {
            throw new InvalidDataException("rollout horizon must be at least 1, got " + horizon);
        }
        double[][] psi0 = lift(initial);
        int m = dictionary.size();
        double[][][] out = new double[initial.length][horizon][states.length];
        IntStream.range(0, initial.length).parallel().forEach(r -> {
            double[] psi = psi0[r];
            for (int step = 0; step < horizon; step++) {
                // ψ_{k+1} = K ψ_k = Σ_l ψ_k[l]·(column l of K)
                double[] next = new double[m];
                for (int l = 0; l < m; l++) {
                    double v = psi[l];
                    for (int i = 0; i < m; i++) {
                        next[i] += v * kT.data[l * m + i];
                    }
                }
                for (int i = 0; i < states.length; i++) {
                    out[r][step][i] = next[states[i]];
                }
                psi = next;
            }
        });
        return out;
    }

    private double[][] lift(double[][] x) {
        for (double[] row : x) {
            if (row.length != dictionary.stateDimension()) {
                throw new InvalidDataException("E-DMD model forecasts " + dictionary.stateDimension() + " states " + names
                        + ", got a state with " + row.length);
            }
        }
        return dictionary.lift(x);
    }

    /** The saved form: {@code model.json}. */
    record Saved(String kind, int version, Options options, List<String> names, Double dt, DictionaryParameters dictionary,
                 Training training, double[][] koopman) {
    }

    /**
     * Writes {@code dir/model.json}: kind "edmd", options, state names, dt, dictionary parameters, K and provenance; the
     * directory is replaced whole ({@link AtomicFiles#writeDirectory}), so a kill leaves the old model or the new one.
     */
    @Override
    public void save(Path dir) {
        Saved saved = new Saved(KIND, VERSION, options, names, Double.isFinite(dt) ? dt : null, parameters, training, koopman());
        try {
            AtomicFiles.writeDirectory(dir, staging -> JSON.writeValue(staging.resolve("model.json").toFile(), saved));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("model.json"), e);
        }
    }

    /** Reads a model written by {@link #save}; it predicts exactly what the saved one did. */
    public static Edmd load(Path dir) {
        Path file = dir.resolve("model.json");
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file + ": no such file");
        }
        Saved saved;
        try {
            saved = JSON.readValue(file.toFile(), Saved.class);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            throw new InvalidDataException(file + ": " + (cause instanceof InvalidDataException ? cause.getMessage() : e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidDataException(file + ": not a model file (" + e.getMessage() + ")", e);
        }
        if (!KIND.equals(saved.kind())) {
            throw new InvalidDataException(file + ": kind is '" + saved.kind() + "', expected '" + KIND + "'");
        }
        if (saved.version() != VERSION) {
            throw new InvalidDataException(file + ": version " + saved.version() + ", this build reads version " + VERSION);
        }
        if (saved.options() == null || saved.dictionary() == null || saved.koopman() == null || saved.names() == null) {
            throw new InvalidDataException(file + ": options, names, dictionary and koopman are all required");
        }
        Dictionary psi = saved.dictionary().dictionary();
        if (saved.names().size() != psi.stateDimension()) {
            throw new InvalidDataException(file + ": " + saved.names().size() + " state names for a dictionary on " + psi.stateDimension() + " states");
        }
        int m = psi.size();
        double[][] k = saved.koopman();
        DMatrixRMaj kT = new DMatrixRMaj(m, m);
        if (k.length != m) {
            throw new InvalidDataException(file + ": koopman has " + k.length + " rows, the dictionary has " + m + " functions");
        }
        for (int i = 0; i < m; i++) {
            if (k[i].length != m) {
                throw new InvalidDataException(file + ": koopman row " + i + " has " + k[i].length + " entries, expected " + m);
            }
            for (int j = 0; j < m; j++) {
                kT.data[j * m + i] = k[i][j];
            }
        }
        double dt = saved.dt() == null ? Double.NaN : saved.dt(); // files written before E-DMD kept its step have none
        return new Edmd(saved.options(), saved.names(), dt, saved.dictionary(), kT, saved.training());
    }
}
