package koopman4j.trainer;

import java.nio.file.Path;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.systems.BuiltInSystems;
import koopman4j.systems.Simulator;
import koopman4j.trainer.config.TrainConfig;

/**
 * The train / validation / test trajectories of a job, split by whole trajectories: test is held
 * out for reporting, validation (taken from the rest) selects the best model.
 *
 * @param description where the data came from, for train.log
 */
public record TrainingData(TrajectorySet train, TrajectorySet validation, TrajectorySet test, String description) {

    /** The data {@code data} names (a built-in system simulated, or a file), observed and split as it says. */
    public static TrainingData prepare(TrainConfig.Data data) {
        if (!data.hasSource()) {
            throw new InvalidDataException("data: give exactly one of data.system and data.path (or --data)");
        }
        TrajectorySet all;
        String description;
        if (data.path() != null && !data.path().isBlank()) {
            Path file = Path.of(data.path());
            all = TrajectoryFiles.read(file);
            description = "file " + file;
        } else {
            all = BuiltInSystems.sampler(data.system()).simulate(data.trajectories(), Simulator.uniformTimes(data.steps(), data.dt()), data.seed());
            description = data.system() + ": " + data.trajectories() + " trajectories x " + data.steps() + " steps, dt "
                    + data.dt() + ", seed " + data.seed();
        }
        return split(all, data, description);
    }

    /**
     * Trajectories already in memory, observed ({@code data.observe}) and split ({@code data.testFraction},
     * {@code data.validationFraction}, {@code data.seed}) as a config's data section says; where the data
     * came from ({@code data.system}, {@code data.path}) is not read.
     */
    public static TrainingData split(TrajectorySet all, TrainConfig.Data data, String description) {
        if (!data.observe().isEmpty()) {
            all = all.observe(data.observe().stream().mapToInt(Integer::intValue).toArray());
            description += ", observed " + data.observe();
        }
        if (all.size() < 3) {
            throw new InvalidDataException("data: " + all.size() + " trajectories; need at least 3 for train, validation and test");
        }
        TrajectorySet.Split outer = all.split(data.testFraction(), data.seed());
        TrajectorySet.Split inner = outer.train().split(data.validationFraction(), data.seed() + 1);
        return new TrainingData(inner.train(), inner.test(), outer.test(), description);
    }
}
