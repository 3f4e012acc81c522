package koopman4j.trainer;

import koopman4j.core.model.KoopmanModel;

/**
 * Hears how a training run goes (DJL's training listeners, in small): after every evaluation (each
 * {@code training.evalEvery} steps and at the last), after every checkpoint and, cheaply, after every step. A notebook draws its
 * training curve from {@link #evaluated} (a lambda will do: {@code progress -> curve.add(progress)});
 * a service stores {@link #checkpointed} models where it likes. Called on the training thread; a
 * listener that throws stops the run.
 */
@FunctionalInterface
public interface TrainingListener {

    /** Hears nothing. */
    TrainingListener NONE = progress -> { };

    /** An evaluation: the step's loss, the model-selection score and the model at that step. */
    void evaluated(TrainingProgress progress);

    /**
     * An optimiser step taken, for a live progress line; {@code loss} is the step's batch loss where the step
     * computed it anyway, NaN otherwise. Called every step, so it must be cheap. Does nothing unless overridden.
     */
    default void stepped(int step, int steps, double loss) {
    }

    /**
     * A checkpoint (Deep DMD, every {@code training.checkpointEvery} steps; the SP-NODE's checkpoints are not reported): the
     * model at {@code step}, already written to {@code checkpoints/step-NNNNNNNNN/} when the run has a directory.
     * Does nothing unless overridden.
     */
    default void checkpointed(int step, KoopmanModel model) {
    }
}
