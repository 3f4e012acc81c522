package koopman4j.sweep;

import java.io.Serializable;

/**
 * One run as a task receives it: its id (its directory's name) and its training config as YAML.
 *
 * @param id         the run's id
 * @param configYaml the full training config ({@code config.yaml} of the run directory)
 */
public record RunSpec(String id, String configYaml) implements Serializable {
    private static final long serialVersionUID = 1L;
}
