package koopman4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.edmd.Edmd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edmd}: fit an E-DMD baseline (seed 000, eq. 4–6) and write the same layout as {@code train}. */
@Command(name = "edmd", mixinStandardHelpOptions = true,
        description = "Fit an E-DMD baseline (fixed dictionary, least squares or ‖K‖₂,₁ group lasso); writes model/ and metrics.json.")
final class EdmdCommand implements Callable<Integer> {

    @Option(names = "--dictionary", required = true, description = "legendre, hermite, monomial, rbf or trig")
    String dictionary;

    @Option(names = "--degree", defaultValue = "2", description = "total polynomial degree; trig: harmonics (default ${DEFAULT-VALUE})")
    int degree;

    @Option(names = "--angles", split = ",", paramLabel = "STATES",
            description = "trig: the angle states (1-based), e.g. 1,2,3,4,5,6,7,8,9 for ieee39")
    List<Integer> angles;

    @Option(names = "--centres", defaultValue = "100", description = "rbf: number of k-means centres (default ${DEFAULT-VALUE})")
    int centres;

    @Option(names = "--lambda", defaultValue = "0", description = "group-lasso weight λ of ‖K‖₂,₁ (0: least squares)")
    double lambda;

    @Option(names = "--tikhonov", defaultValue = "0", description = "ridge weight (default ${DEFAULT-VALUE})")
    double tikhonov;

    @Option(names = "--data", required = true, description = "trajectory file (.csv/.npy)")
    Path data;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "share of trajectories held out (default ${DEFAULT-VALUE})")
    double testFraction;

    @Option(names = "--seed", defaultValue = "1", description = "split and k-means seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        Edmd.Options options = Edmd.Options.of(dictionary, degree, centres, angles, lambda, tikhonov, seed);
        TrajectorySet.Split split = TrajectoryFiles.read(data).split(testFraction, seed);
        long t0 = System.nanoTime();
        Edmd model = Edmd.fit(split.train(), options);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        model.save(out.resolve("model"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode metrics = json.createObjectNode();
        metrics.put("kind", "edmd");
        metrics.set("train", model.evaluate(split.train(), 1, 10, 100, 500).toJson());
        metrics.set("test", model.evaluate(split.test(), 1, 10, 100, 500).toJson());
        metrics.put("seconds", seconds);
        metrics.set("stability", model.stability().toJson());
        Output.writeAtomically(out.resolve("metrics.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(metrics) + "\n");
        System.out.println(TrainCommand.ErrorTable.render(metrics));
        System.out.println("model: " + out.resolve("model") + "   metrics: " + out.resolve("metrics.json"));
        return 0;
    }
}
