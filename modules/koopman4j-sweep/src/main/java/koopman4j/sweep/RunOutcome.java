package koopman4j.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * As JSON text: what a task sends back. Text, not this class, crosses from executor to driver, since
     * spark-submit with userClassPathFirst loads this class once per class loader and a cast between the
     * two copies fails.
     */
    String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id).put("status", status.name()).put("attempts", attempts).put("metrics", metrics)
                .put("seconds", seconds).put("error", error).put("host", host);
        return o.toString();
    }

    static RunOutcome fromJson(String text) {
        try {
            JsonNode o = JSON.readTree(text);
            return new RunOutcome(o.path("id").asText(), Status.valueOf(o.path("status").asText()), o.path("attempts").asInt(),
                    o.path("metrics").isNull() ? null : o.path("metrics").asText(), o.path("seconds").asDouble(Double.NaN),
                    o.path("error").isNull() ? null : o.path("error").asText(), o.path("host").isNull() ? null : o.path("host").asText());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a task's result is not readable: " + text, e);
        }
    }

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
