package koopman4j.cli;

import java.util.Locale;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.TrainingProgress;

/** Shows a training run on a {@link Progress}: step, the latest loss, steps/s and ETA. */
final class TrainingProgressLine implements TrainingListener {

    private final Progress progress;
    private final String task;
    private double loss = Double.NaN;
    private boolean started;

    /** @param task what the line starts with, e.g. "train" or "compare: row 2/5 glycolysis/200, D-DMD" */
    TrainingProgressLine(Progress progress, String task) {
        this.progress = progress;
        this.task = task;
    }

    @Override
    public void stepped(int step, int steps, double stepLoss) {
        if (!started) { // a resumed run's pace counts from its first step here
            progress.start(task, step - 1);
            started = true;
        }
        if (!Double.isNaN(stepLoss)) {
            loss = stepLoss;
        }
        progress.update(step, steps, "steps", Double.isNaN(loss) ? "" : String.format(Locale.ROOT, "loss %.3e", loss));
    }

    @Override
    public void evaluated(TrainingProgress p) {
        loss = p.loss(); // the trainers without a per-step loss report one here
    }
}
