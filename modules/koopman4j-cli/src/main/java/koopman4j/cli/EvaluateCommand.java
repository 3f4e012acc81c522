package koopman4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.metrics.Forecaster;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.edmd.Edmd;
import koopman4j.trainer.ModelMetrics;
import koopman4j.trainer.StabilityCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: errors of a saved model on new data, as JSON. */
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
        Forecaster forecaster = Models.load(model);
        TrajectorySet set = Models.matchStates(forecaster, TrajectoryFiles.read(data), data);
        if (fromSample != 0) {
            try {
                set = set.fromSample(fromSample);
            } catch (InvalidDataException e) {
                throw new InvalidDataException(data + ": --from-sample: " + e.getMessage(), e);
            }
        }
        if (forecaster instanceof StructurePreservingNode node) {
            forecaster = node.withStep(sampleStep(set)); // an ODE model forecasts with the data's own step
        }
        ObjectNode result = ModelMetrics.of(forecaster, set, hs);
        if (forecaster instanceof StructurePreservingNode node) {
            result.put("dt", node.dt());
            result.set("stability", StabilityCertificate.halfPlane(node.linearOperator(), node.options().linear().mu()));
        } else if (forecaster instanceof DeepKoopman deep) {
            result.set("stability", StabilityCertificate.discrete(deep.koopmanMatrix()));
        } else if (forecaster instanceof Edmd edmd) {
            result.set("stability", StabilityCertificate.discrete(edmd.koopman()));
        }
        ObjectMapper json = new ObjectMapper();
        String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (out != null) {
            Models.writeAtomically(out, text + "\n");
        }
        return 0;
    }

    /** The uniform sample step the errors are measured at; an sp-node model cannot be scored on uneven samples. */
    private double sampleStep(TrajectorySet set) {
        double dt = set.uniformStep();
        if (Double.isNaN(dt)) {
            throw new InvalidDataException(data + ": samples are not evenly spaced in time; evaluating an sp-node model needs one sample step");
        }
        return dt;
    }
}
