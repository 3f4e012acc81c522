package koopman4j.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import koopman4j.core.data.InvalidDataException;

/**
 * A training job's configuration (ARCHITECTURE.md "Config"): one record per YAML section, defaults in
 * {@code koopman4j/trainer/defaults.yaml}, unknown keys rejected by {@link ConfigLoader}. Each record
 * validates itself, naming the offending field by its path.
 */
public record TrainConfig(@JsonProperty(required = true) Model model, @JsonProperty(required = true) Data data,
                          @JsonProperty(required = true) Training training) {

    public TrainConfig {
        if (model != null && data != null && Model.DEEP_DMD.equals(model.kind()) && !data.scale().isEmpty()) {
            throw new InvalidDataException("data.scale is for sp-node models; Deep DMD normalises its states itself");
        }
    }

    /**
     * {@code model:} what is learned. {@code deep-dmd} (seed 000) uses {@code dictionary}, {@code loss} and
     * {@code delays};
     * {@code sp-node} (seed 001) uses {@code linear}, {@code nonlinear}, {@code autoencoder} and
     * {@code integrator}. {@link ConfigLoader} fills in the defaults of the chosen kind only.
     */
    public record Model(String kind, Dictionary dictionary, Loss loss, Delays delays, Linear linear, Nonlinear nonlinear,
                        Autoencoder autoencoder, String integrator) {
        public static final String DEEP_DMD = "deep-dmd";
        public static final String SP_NODE = "sp-node";

        public Model {
            if (DEEP_DMD.equals(kind)) {
                require(dictionary != null && loss != null && delays != null,
                        "model.dictionary, model.loss and model.delays are required for deep-dmd");
            } else if (SP_NODE.equals(kind)) {
                require(linear != null && nonlinear != null && autoencoder != null,
                        "model.linear, model.nonlinear and model.autoencoder are required for sp-node");
                require(List.of("etd1", "imex", "rk4").contains(integrator),
                        "model.integrator: unknown integrator '" + integrator + "'; expected etd1, imex or rk4");
            } else {
                throw new InvalidDataException("model.kind: unknown model kind '" + kind + "'; expected deep-dmd or sp-node");
            }
        }
    }

    /**
     * {@code model.linear:} the Hurwitz operator A_L = (G_s + G_u)S + μI of seed 001, eq. 3–5; Re λ(A_L) ≤ μ.
     * μ is given ({@code mu}) or estimated from a built-in system's linear operator ({@code muFrom}: seed 001
     * §5.3's "Fourier analysis"; {@value #MU_FROM_KS}: the largest q² − q⁴ over the wavenumbers q = 2πk/L of
     * the L = 22, 64-point grid, 0.2198), in which case {@code mu} must stay at its default 0.
     * {@code initialRates}: decay rates A_L starts from (near μI − diag(rates), one per latent state; empty: near
     * (μ − 1)I), e.g. spread over the time scales of a stiff system.
     */
    public record Linear(double mu, String muFrom, List<Double> initialRates) {
        public static final String MU_FROM_KS = "kuramoto-sivashinsky";

        public Linear {
            require(Double.isFinite(mu), "model.linear.mu must be finite, got " + mu);
            require(muFrom == null || MU_FROM_KS.equals(muFrom),
                    "model.linear.muFrom: unknown '" + muFrom + "'; expected " + MU_FROM_KS + " (or leave it out and give model.linear.mu)");
            require(muFrom == null || mu == 0, "model.linear: give model.linear.mu or model.linear.muFrom, not both (mu " + mu
                    + ", muFrom " + muFrom + ")");
            initialRates = initialRates == null ? List.of() : List.copyOf(initialRates);
            for (int i = 0; i < initialRates.size(); i++) {
                Double r = initialRates.get(i);
                require(r != null && r > 0 && Double.isFinite(r), "model.linear.initialRates[" + i + "] must be a finite number > 0, got " + r);
            }        }
    }

    /**
     * {@code model.nonlinear:} g of du/dt = A_L u + g(u): {@code bilinear} (eq. 6, rank R), {@code lipschitz}
     * (eq. 7–8, {@code layers} layers of {@code width}, bound {@code lipschitzBound}) or {@code none}.
     */
    public record Nonlinear(String kind, int rank, int layers, int width, double lipschitzBound, String activation) {
        public Nonlinear {
            require(List.of("bilinear", "lipschitz", "none").contains(kind),
                    "model.nonlinear.kind: unknown '" + kind + "'; expected bilinear, lipschitz or none");
            require(rank >= 1, "model.nonlinear.rank must be at least 1, got " + rank);
            require(layers >= 1, "model.nonlinear.layers must be at least 1, got " + layers);
            require(width >= 1, "model.nonlinear.width must be at least 1, got " + width);
            require(lipschitzBound > 0 && Double.isFinite(lipschitzBound),
                    "model.nonlinear.lipschitzBound must be a finite number > 0, got " + lipschitzBound);
        }
    }

    /** {@code model.autoencoder:} encoder/decoder MLPs around the latent ODE (seed 001, §2.4); latent 0 = none. */
    public record Autoencoder(int latent, int depth, int width, String activation) {
        public Autoencoder {
            require(latent >= 0, "model.autoencoder.latent must be ≥ 0 (0: no autoencoder), got " + latent);
            require(depth >= 1 && width >= 1, "model.autoencoder.depth and width must be at least 1");
        }
    }

    /**
     * {@code model.delays:} time-delay coordinates for partially observed systems: the model's state is
     * [y_k, y_{k−lag}, …, y_{k−count·lag}] of the measured y (count 0: y_k alone).
     */
    public record Delays(int count, int lag) {
        public Delays {
            require(count >= 0, "model.delays.count must be ≥ 0, got " + count);
            require(lag >= 1, "model.delays.lag must be at least 1 sample, got " + lag);
        }
    }

    /** {@code model.dictionary:} the deep dictionary N_θ (seed 000, §2.2). */
    public record Dictionary(int depth, int width, int outputs, String activation, boolean residual, double dropout) { }

    /** {@code model.loss:} eq. 8's λ₁, λ₂, the extra weight of its state part and the multi-step terms. */
    public record Loss(double lambdaK, double lambdaTheta, double stateWeight, double rolloutWeight, double latentWeight) { }

    /**
     * {@code data:} a built-in system to simulate (on the uniform grid {@code steps}·{@code dt}, or at the log-spaced
     * times {@code logTimes}; initial states spread by {@code perturbation} where the system has one), or a file (neither
     * for data already in memory), the states observed, and the split into train, validation and test trajectories.
     * {@code scale}: per-state factors the sp-node trains on (x̂ = scale ⊙ x, seed 001 §5.2), empty for none.
     * {@code window} (sp-node) trains on windows of {@code window.steps} steps cut from long trajectories (seed 001
     * §5.3: one long trajectory, windows of 8).
     */
    public record Data(String system, String path, int trajectories, int steps, double dt, LogTimes logTimes, Double perturbation,
                       List<Integer> observe, List<Double> scale, double testFraction, double validationFraction, long seed,
                       List<Integer> trainSamples, Window window) {
        static final String NO_SOURCE = "data: give exactly one of data.system and data.path (or --data)";

        /** Whether a built-in system or a file is named, as a job that loads its own data needs. */
        public boolean hasSource() {
            return system != null && !system.isBlank() || path != null && !path.isBlank();
        }
        public Data {
            window = window == null ? new Window(0, 1) : window;
            require(window.steps() == 0 || trainSamples == null || trainSamples.isEmpty(),
                    "data: give data.window or data.trainSamples, not both");
            // neither is fine for data already in memory (the Java API); a job that loads data checks (hasSource)
            if (system != null && !system.isBlank() && path != null && !path.isBlank()) {
                throw new InvalidDataException(NO_SOURCE);
            }
            logTimes = logTimes == null ? LogTimes.NONE : logTimes;
            scale = scale == null ? List.of() : List.copyOf(scale);
            for (int i = 0; i < scale.size(); i++) {
                Double f = scale.get(i);
                require(f != null && f > 0 && Double.isFinite(f), "data.scale[" + i + "] must be a finite number > 0, got " + f);
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new InvalidDataException("data.testFraction must be in (0, 1), got " + testFraction);
            }
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new InvalidDataException("data.validationFraction must be in (0, 1), got " + validationFraction);
            }
            observe = observe == null ? List.of() : List.copyOf(observe);
            trainSamples = trainSamples == null ? List.of() : List.copyOf(trainSamples);
            boolean increasing = trainSamples.isEmpty() || trainSamples.size() >= 2 && trainSamples.get(0) >= 0;
            for (int i = 1; i < trainSamples.size(); i++) {
                increasing &= trainSamples.get(i) > trainSamples.get(i - 1);
            }
            require(increasing, "data.trainSamples must be at least two increasing sample indices ≥ 0, got " + trainSamples);
        }
    }

    /**
     * {@code data.logTimes:} {@code count} sample times t_k = from·(to/from)^{k/(count−1)}, k = 0 … count−1, spaced
     * evenly in log t (seed 001 §5.2: 50 times in [4·10⁻⁶, 4·10⁶]); they replace {@code steps} and {@code dt}. The
     * trajectories start at t = 0 and are sampled from {@code from} on. {@code count} 0: not used.
     */
    public record LogTimes(double from, double to, int count) {
        public static final LogTimes NONE = new LogTimes(0, 0, 0);

        public LogTimes {
            require(count >= 0, "data.logTimes.count must be ≥ 0 (0: not used), got " + count);
            if (count > 0) {
                require(count >= 2, "data.logTimes.count must be at least 2 sample times, got " + count);
                require(from > 0 && Double.isFinite(from), "data.logTimes.from must be a finite time > 0 (log spacing), got " + from);
                require(Double.isFinite(to) && to > from, "data.logTimes: to (" + to + ") must be a finite time after from (" + from + ")");
            }
        }

        /** Whether log-spaced times are asked for. */
        public boolean used() {
            return count > 0;
        }

        /** The sample times; the first is {@code from} and the last {@code to}, exactly. */
        public double[] times() {
            double[] t = new double[count];
            double ratio = Math.log(to / from);
            for (int k = 0; k < count; k++) {
                t[k] = k == count - 1 ? to : from * Math.exp(ratio * k / (count - 1));
            }
            return t;
        }
    }

    /**
     * {@code data.window:} sp-node training on windows of {@code steps} steps (steps + 1 samples) starting every
     * {@code stride} samples of each training trajectory, drawn at random for each batch; validation uses
     * non-overlapping windows of the validation trajectories; test trajectories stay whole. {@code steps: 0}
     * trains on whole trajectories.
     */
    public record Window(int steps, int stride) {
        public Window {
            require(steps >= 0, "data.window.steps must be ≥ 0 (0: whole trajectories), got " + steps);
            require(stride >= 1, "data.window.stride must be at least 1, got " + stride);        }
    }

    /**
     * {@code training:} optimiser, schedule, batches, evaluation and checkpoints; {@code engine} runs
     * Deep DMD steps fused on the CPU ({@code fused}), through SameDiff ({@code samediff}), or picks the
     * fused step on the CPU backend and SameDiff elsewhere ({@code auto}). {@code keepCheckpoints}: how many of
     * the newest checkpoints stay (the one holding the best model stays too); {@code divergence}: the guard against
     * a non-finite or exploding loss. {@code lossTime} (sp-node): eq. 20's trapezoid rule in t ({@code linear}, the
     * paper's) or in log t ({@code log}, every decade of a log-spaced grid weighted alike).
     */
    public record Training(String optimizer, double learningRate, double finalLearningRate, int batchSize, int steps,
                           int evalEvery, int checkpointEvery, long seed, Rollout rollout, int selectHorizon, String engine,
                           int keepCheckpoints, Divergence divergence, String lossTime) {
        public static final String LINEAR_TIME = "linear";
        public static final String LOG_TIME = "log";

        public Training {
            if (!List.of(LINEAR_TIME, LOG_TIME).contains(lossTime)) {
                throw new InvalidDataException("training.lossTime: unknown '" + lossTime + "'; expected linear (eq. 20 in t) or log (in log t)");
            }
            if (keepCheckpoints < 1) {
                throw new InvalidDataException("training.keepCheckpoints must be at least 1, got " + keepCheckpoints);            }
            if (!List.of("auto", "fused", "samediff").contains(engine)) {
                throw new InvalidDataException("training.engine: unknown engine '" + engine + "'; expected auto, fused or samediff");
            }
            if (!"adam".equals(optimizer) && !"adagrad".equals(optimizer)) {
                throw new InvalidDataException("training.optimizer: unknown optimizer '" + optimizer + "'; expected adam or adagrad");
            }
            if (!(learningRate > 0) || !(finalLearningRate > 0)) {
                throw new InvalidDataException("training.learningRate and training.finalLearningRate must be positive");
            }
            if (steps < 1) {
                throw new InvalidDataException("training.steps must be at least 1, got " + steps);
            }
            if (evalEvery < 1 || checkpointEvery < 1) {
                throw new InvalidDataException("training.evalEvery and training.checkpointEvery must be at least 1");
            }
            if (selectHorizon < 1) {
                throw new InvalidDataException("training.selectHorizon must be at least 1, got " + selectHorizon);
            }
        }
    }

    /**
     * {@code training.divergence:} when a step's loss or gradient is not finite, or its loss exceeds
     * {@code explosion} times the lowest loss of the curriculum stage so far, training rolls back to the last
     * good state (the last evaluation whose model was finite) and scales the learning rate by {@code lrFactor};
     * after {@code retries} roll-backs it stops with a message (Deep DMD). The SP-NODE stops at once, before the step is
     * applied, with the last good state checkpointed ({@code retries} and {@code lrFactor} unused).
     */
    public record Divergence(int retries, double lrFactor, double explosion) {
        public Divergence {
            if (retries < 0) {
                throw new InvalidDataException("training.divergence.retries must be at least 0, got " + retries);
            }
            if (!(lrFactor > 0 && lrFactor < 1)) {
                throw new InvalidDataException("training.divergence.lrFactor must be in (0, 1), got " + lrFactor);
            }
            if (!(explosion > 1)) {
                throw new InvalidDataException("training.divergence.explosion must be greater than 1, got " + explosion);
            }
        }
    }

    /**
     * {@code training.rollout:} the window horizon curriculum (equal shares of the steps, the last
     * horizon to the end; ⌈training.batchSize / horizon⌉ windows per step, so batchSize counts one-step pairs), the share of windows starting at
     * t = 0 (where test rollouts start), and whether the optimiser's moments and update count carry over from
     * one stage to the next ({@code keepOptimizerState}; otherwise each stage starts a fresh optimiser).
     */
    public record Rollout(List<Integer> horizons, double fromStartFraction, boolean keepOptimizerState) {
        public Rollout {
            horizons = horizons == null ? List.of() : List.copyOf(horizons);
            for (int h : horizons) {
                if (h < 1) {
                    throw new InvalidDataException("training.rollout.horizons must be ≥ 1, got " + h);
                }
            }
            if (!(fromStartFraction >= 0 && fromStartFraction <= 1)) {
                throw new InvalidDataException("training.rollout.fromStartFraction must be in [0, 1], got " + fromStartFraction);
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidDataException(message);
        }
    }
}
