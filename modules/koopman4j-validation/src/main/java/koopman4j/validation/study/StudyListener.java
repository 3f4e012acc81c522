package koopman4j.validation.study;

import koopman4j.trainer.TrainingListener;

/** Hears a study's model trainings, for a progress display: which of how many, and each one's steps. */
@FunctionalInterface
public interface StudyListener {

    StudyListener NONE = (run, runs, label) -> TrainingListener.NONE;

    /** The listener of the training of model {@code run} (from 1) of {@code runs}, named {@code label} (e.g. "ε = 1, imex"). */
    TrainingListener training(int run, int runs, String label);
}
