package koopman4j.sweep;

import java.io.Serializable;

/**
 * What a task sends back to the driver for one run.
 *
 * @param id       the run's id
 * @param status   how it ended
 * @param attempts attempts made so far, over every task attempt and earlier sweeps on the same directory
 * @param metrics  the run's metrics.json as text (null unless finished or reused)
 * @param seconds  wall time of the successful attempt (data, training, final metrics), NaN if none
 * @param error    the last attempt's error in one line (null if none)
 * @param host     the executor host that ran the last attempt
 */
public record RunOutcome(String id, Status status, int attempts, String metrics, double seconds, String error, String host)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How a run ended in this sweep. */
    public enum Status {
        /** trained in this sweep */
        FINISHED,
        /** finished by an earlier sweep on the same directory: its completion marker was there */
        REUSED,
        /** every attempt failed (or its config was refused by the trainer) */
        FAILED,
        /** not started: the time budget had run out */
        NOT_RUN;

        boolean hasMetrics() {
            return this == FINISHED || this == REUSED;
        }
    }
}
