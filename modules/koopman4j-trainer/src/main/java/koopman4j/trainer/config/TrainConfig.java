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

    /** {@code model:} what is learned. */
    public record Model(String kind, Dictionary dictionary, Loss loss) {
        public Model {
            if (!"deep-dmd".equals(kind)) {
                throw new InvalidDataException("model.kind: unknown model kind '" + kind + "'; expected deep-dmd");
            }
        }
    }

    /** {@code model.dictionary:} the deep dictionary N_θ (seed 000, §2.2). */
    public record Dictionary(int depth, int width, int outputs, String activation, boolean residual, double dropout) { }

    /** {@code model.loss:} eq. 8's λ₁, λ₂ and the multi-step terms. */
    public record Loss(double lambdaK, double lambdaTheta, double rolloutWeight, double latentWeight) { }

    /** {@code data:} a built-in system to simulate, or a file. */
    public record Data(String system, String path, int trajectories, int steps, double dt, List<Integer> observe,
                       double testFraction, double validationFraction, long seed) {
        public Data {
            if ((system == null || system.isBlank()) == (path == null || path.isBlank())) {
                throw new InvalidDataException("data: give exactly one of data.system and data.path (or --data)");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new InvalidDataException("data.testFraction must be in (0, 1), got " + testFraction);
            }
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new InvalidDataException("data.validationFraction must be in (0, 1), got " + validationFraction);
            }
            observe = observe == null ? List.of() : List.copyOf(observe);
        }
    }

    /** {@code training:} optimiser, schedule, batches, evaluation and checkpoints. */
    public record Training(String optimizer, double learningRate, double finalLearningRate, int batchSize, int steps,
                           int evalEvery, int checkpointEvery, long seed, Rollout rollout, int selectHorizon) {
        public Training {
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
     * {@code training.rollout:} the window horizon curriculum (equal shares of the steps, the last
     * horizon to the end; ⌈training.batchSize / horizon⌉ windows per step, so batchSize counts one-step pairs) and the share of windows starting at
     * t = 0 (where test rollouts start).
     */
    public record Rollout(List<Integer> horizons, double fromStartFraction) {
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
}
