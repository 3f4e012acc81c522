package koopman4j.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.systems.BuiltInSystems;
import koopman4j.systems.Simulator;
import koopman4j.systems.TrajectorySampler;
import koopman4j.trainer.config.TrainConfig;

/**
 * The train / validation / test trajectories of a job, split by whole trajectories: test is held
 * out for reporting, validation (taken from the rest) selects the best model. The sets are in the data's
 * original units; {@code scale} (one factor per state, ones for none) is what an sp-node trains on,
 * {@link #scaled()} the same split in those units.
 *
 * @param description where the data came from, for train.log
 */
public record TrainingData(TrajectorySet train, TrajectorySet validation, TrajectorySet test, String description, double[] scale) {

    public TrainingData {
        scale = scale == null ? ones(train.dimension()) : scale.clone();
        if (scale.length != train.dimension()) {
            throw new InvalidDataException("data.scale has " + scale.length + " factors but the data has " + train.dimension()
                    + " states " + train.names());
        }
    }

    /** An unscaled split. */
    public TrainingData(TrajectorySet train, TrajectorySet validation, TrajectorySet test, String description) {
        this(train, validation, test, description, null);
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }

    /** Whether any factor differs from 1. */
    public boolean isScaled() {
        for (double s : scale) {
            if (s != 1) {
                return true;
            }
        }
        return false;
    }

    /** The same split with every state multiplied by its factor (itself when unscaled), scale 1: what the networks see. */
    public TrainingData scaled() {
        if (!isScaled()) {
            return this;
        }
        return new TrainingData(train.scaled(scale), validation.scaled(scale), test.scaled(scale),
                description + ", scaled by " + java.util.Arrays.toString(scale), null);
    }

    /**
     * Each split's trajectory count and SHA-256 of its times and states, in a checkpoint: a resumed run must see the same
     * data. The fingerprint of the sets as given (an SP-NODE's scaled split differs from its original units).
     */
    public JsonNode fingerprint() {
        ObjectNode s = new ObjectMapper().createObjectNode();
        Map<String, TrajectorySet> sets = new LinkedHashMap<>();
        sets.put("train", train);
        sets.put("validation", validation);
        sets.put("test", test);
        for (Map.Entry<String, TrajectorySet> e : sets.entrySet()) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
            }
            ByteBuffer b = ByteBuffer.allocate(8);
            for (Trajectory tr : e.getValue().trajectories()) {
                for (int i = 0; i < tr.length(); i++) {
                    sha.update(b.clear().putDouble(tr.times()[i]).array());
                    for (double v : tr.states()[i]) {
                        sha.update(b.clear().putDouble(v).array());
                    }
                }
            }
            ObjectNode set = s.putObject(e.getKey());
            set.put("trajectories", e.getValue().size());
            set.put("sha256", HexFormat.of().formatHex(sha.digest()));
        }
        return s;
    }

    /** The data {@code data} names (a built-in system simulated, or a file), observed and split as it says. */
    public static TrainingData prepare(TrainConfig.Data data) {
        if (!data.hasSource()) {
            throw new InvalidDataException("data: give exactly one of data.system and data.path (or --data)");
        }
        TrajectorySet all;
        String description;
        if (data.path() != null && !data.path().isBlank()) {
            if (data.perturbation() != null) {
                throw new InvalidDataException("data.perturbation applies to a simulated data.system, not to the file " + data.path());
            }
            if (data.logTimes().used()) {
                throw new InvalidDataException("data.logTimes applies to a simulated data.system, not to the file " + data.path());
            }
            Path file = Path.of(data.path());
            all = TrajectoryFiles.read(file);
            description = "file " + file;
        } else {
            TrajectorySampler sampler = data.perturbation() == null ? BuiltInSystems.sampler(data.system()) : new Simulator(perturbed(data));
            double[] times = data.logTimes().used() ? data.logTimes().times() : Simulator.uniformTimes(data.steps(), data.dt());
            all = sampler.simulate(data.trajectories(), times, data.seed());
            description = data.system() + (data.perturbation() == null ? "" : " (perturbation " + data.perturbation() + ")") + ": "
                    + data.trajectories() + " trajectories x " + (data.logTimes().used()
                    ? data.logTimes().count() + " times log-spaced in [" + data.logTimes().from() + ", " + data.logTimes().to() + "]"
                    : data.steps() + " steps, dt " + data.dt()) + ", seed " + data.seed();
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
        double[] scale = data.scale().isEmpty() ? null : data.scale().stream().mapToDouble(Double::doubleValue).toArray();
        if (scale != null && scale.length != all.dimension()) {
            throw new InvalidDataException("data.scale has " + scale.length + " factors but the data has " + all.dimension() + " states "
                    + all.names());
        }
        TrajectorySet.Split outer = all.split(data.testFraction(), data.seed());
        TrajectorySet.Split inner = outer.train().split(data.validationFraction(), data.seed() + 1);
        return new TrainingData(inner.train(), inner.test(), outer.test(), description, scale);
    }

    /** data.system with data.perturbation; the perturbation's faults named as config fields. */
    private static koopman4j.systems.ContinuousSystem perturbed(TrainConfig.Data data) {
        try {
            return BuiltInSystems.byName(data.system(), data.perturbation());
        } catch (InvalidDataException e) {
            throw new InvalidDataException("data.perturbation: " + e.getMessage().replace("--perturbation ", ""), e);
        }
    }

    private static double[] ones(int n) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, 1.0);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingData d && train.equals(d.train) && validation.equals(d.validation) && test.equals(d.test)
                && description.equals(d.description) && java.util.Arrays.equals(scale, d.scale);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(train, validation, test, description, java.util.Arrays.hashCode(scale));
    }

    @Override
    public String toString() {
        return "TrainingData[" + description + ", scale " + java.util.Arrays.toString(scale) + "]";
    }
}
