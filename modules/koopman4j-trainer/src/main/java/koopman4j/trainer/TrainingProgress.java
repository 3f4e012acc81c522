package koopman4j.trainer;

import koopman4j.core.model.KoopmanModel;

/**
 * One evaluation of a training run, as {@link TrainingListener#evaluated} hears it.
 *
 * @param step            optimiser steps taken so far (counting those before a resume)
 * @param steps           the run's total, {@code training.steps}
 * @param loss            the training loss on the step's batch
 * @param validationScore what selects the model kept, lower is better: Deep DMD the validation rollout error at
 *                        {@code training.selectHorizon} plus the one-step error (per cent); the SP-NODE the
 *                        validation eq. 20 loss at the trained times
 * @param stepsPerSecond  the run's pace so far
 * @param best            whether this is the best score so far (the model the run will return if none beats it)
 * @param model           the model at this step
 */
public record TrainingProgress(int step, int steps, double loss, double validationScore, double stepsPerSecond, boolean best,
                               KoopmanModel model) {

    /** Seconds left at the pace so far. */
    public double etaSeconds() {
        return stepsPerSecond > 0 ? (steps - step) / stepsPerSecond : Double.NaN;
    }
}
