package koopman4j.trainer;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * Exponential decay from {@code initial} at step 0 to {@code last} at step {@code total}, counted in
 * the trainer's global steps ({@code offset} + the optimiser's own iteration count, which restarts each
 * time the curriculum starts a fresh optimiser), times {@code scale} (below 1 after the divergence guard
 * has rolled training back).
 */
record LearningRateDecay(double initial, double last, int total, int offset, double scale) implements ISchedule {

    LearningRateDecay(double initial, double last, int total, int offset) {
        this(initial, last, total, offset, 1.0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double progress = Math.min(1.0, (double) (offset + iteration) / Math.max(1, total));
        return scale * initial * Math.pow(last / initial, progress);
    }

    @Override
    public ISchedule clone() {
        return this;
    }
}
