package koopman4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import koopman4j.api.Models;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.model.KoopmanModel;
import koopman4j.layers.spnode.StructurePreservingNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: errors of a saved model on new data, as JSON ({@link KoopmanModel#evaluate} and its certificate). */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Error of a saved model on new trajectories (JSON).")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model directory (DIR/model)")
    Path model;

    @Option(names = "--data", required = true, description = "trajectory file (.csv/.npy)")
    Path data;

    @Option(names = "--horizons", defaultValue = "1,10,100", description = "rollout horizons (default ${DEFAULT-VALUE})")
    String horizons;

    @Option(names = "--from-sample", defaultValue = "0", paramLabel = "S",
            description = "score from sample S of every trajectory on: rollouts start there (default ${DEFAULT-VALUE}, the first sample)")
    int fromSample;

    @Option(names = "--out", description = "also write the JSON here")
    Path out;

    @Override
    public Integer call() throws Exception {
        int[] hs = ErrorMetrics.parseHorizons(horizons);
        KoopmanModel m = Models.load(model);
        TrajectorySet set = TrajectoryFiles.read(data);
        if (fromSample != 0) {
            try {
                set = set.fromSample(fromSample);
            } catch (InvalidDataException e) {
                throw new InvalidDataException(data + ": --from-sample: " + e.getMessage(), e);
            }
        }
        ObjectNode result;
        try {
            if (m instanceof StructurePreservingNode node) {
                // an ODE model forecasts with the data's own step, and along each trajectory's own times on any spacing (e.g. log-spaced)
                double dt = set.uniformStep();
                result = Double.isNaN(dt) ? new ObjectMapper().createObjectNode() : node.evaluate(set, hs).toJson();
                if (!Double.isNaN(dt)) {
                    result.put("dt", dt);
                }
                result.setAll(node.evaluateAlong(set).toJson(set.names()));
            } else {
                result = m.evaluate(set, hs).toJson();
            }
        } catch (InvalidDataException e) { // the API's one line, said of the file
            throw new InvalidDataException(data + ": " + e.getMessage(), e);
        }
        result.set("stability", m.stability().toJson());
        String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (out != null) {
            Output.writeAtomically(out, text + "\n");
        }
        return 0;
    }
}
