package koopman4j.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.Precision;
import koopman4j.layers.Activation;
import koopman4j.layers.SameDiffQuiet;
import koopman4j.layers.integrators.Integrator;
import koopman4j.layers.integrators.Rollout;
import koopman4j.layers.integrators.TimeGrid;
import koopman4j.layers.spnode.Autoencoder;
import koopman4j.layers.spnode.HurwitzLinear;
import koopman4j.layers.spnode.LipschitzMlp;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.trainer.fused.SpNodeStep;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code bench spnode-step}: milliseconds per structure-preserving NODE training step (eq. 20 loss over an ETD1
 * rollout, its gradient and one Adam update, float64) on random windows, the problems of the PyTorch twin
 * {@code benchmarks/peers/torch_spnode_step.py}:
 * <ul>
 *   <li>{@code transient-growth}: seed 001 §5.1's model, n = 2, Lipschitz g 2 → 100 → 2 (tanh), batch 720, 5 steps of 0.4;</li>
 *   <li>{@code ks}: a Kuramoto–Sivashinsky-sized model (§5.3): autoencoder 64 → 200 → 20 (ELU), Lipschitz g
 *       20 → 200 → 200 → 20 (tanh), batch 2000 windows of 8 steps of 1.0.</li>
 * </ul>
 * Engines: {@code fused} ({@link SpNodeStep}, what training uses on CPU) and {@code samediff} (the graph's gradients).
 */
public final class SpNodeStepBenchmark {

    /** A benchmark problem: the model and the windows it trains on. */
    public enum Problem {
        TRANSIENT_GROWTH, KS;

        public static Problem parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new InvalidDataException("unknown sp-node problem '" + name + "'; expected transient-growth or ks", e);
            }
        }

        String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        StructurePreservingNode.Options options() {
            return switch (this) {
                case TRANSIENT_GROWTH -> new StructurePreservingNode.Options(2, new HurwitzLinear.Options(2, 0), null,
                        new LipschitzMlp.Options(2, 2, 100, 2.0, Activation.TANH, true), null, Integrator.ETD1);
                case KS -> new StructurePreservingNode.Options(64, new HurwitzLinear.Options(20, 0), null,
                        new LipschitzMlp.Options(20, 3, 200, 5.0, Activation.TANH, true),
                        new Autoencoder.Options(64, 20, List.of(200), Activation.ELU), Integrator.ETD1);
            };
        }

        int batch() {
            return this == TRANSIENT_GROWTH ? 720 : 2000;
        }

        TimeGrid grid() {
            return this == TRANSIENT_GROWTH ? TimeGrid.uniform(0, 0.4, 5) : TimeGrid.uniform(0, 1.0, 8);
        }
    }

    private SpNodeStepBenchmark() {
    }

    public static List<BenchResult> run(TrainStepBenchmark.Engine engine, List<Problem> problems, int warmup, int steps) {
        if (engine == TrainStepBenchmark.Engine.GEMM) {
            throw new InvalidDataException("spnode-step: engines are fused and samediff");
        }
        List<BenchResult> results = new ArrayList<>();
        for (Problem problem : problems) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("engine", engine.name().toLowerCase(Locale.ROOT));
            params.put("problem", problem.configName());
            params.put("batch", problem.batch());
            params.put("steps", problem.grid().steps());
            params.put("threads", koopman4j.trainer.fused.DeepKoopmanStep.threads());
            results.add(time(params, step(engine, problem.options(), problem.grid(), problem.batch()),
                    engine == TrainStepBenchmark.Engine.FUSED, warmup, steps));
        }
        return results;
    }

    /**
     * The fused step's time (loss, gradient and one Adam update) for any model on a grid and batch: the per-step
     * cost the Kuramoto–Sivashinsky study compares between latent and full-state models.
     */
    public static BenchResult fused(StructurePreservingNode.Options options, TimeGrid grid, int batch, int warmup, int steps) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("inputs", options.inputs());
        params.put("latent", options.linear().dimension());
        params.put("batch", batch);
        params.put("steps", grid.steps());
        params.put("threads", koopman4j.trainer.fused.DeepKoopmanStep.threads());
        return time(params, step(TrainStepBenchmark.Engine.FUSED, options, grid, batch), true, warmup, steps);
    }

    private static BenchResult time(Map<String, Object> params, Runnable step, boolean fused, int warmup, int steps) {
        // C2 compiles the fused step's vector loops in the first seconds; the graph's steps take seconds each at KS size
        long warmEnd = System.nanoTime() + (fused ? 3_000_000_000L : 0);
        int warmupSteps = fused ? warmup : Math.min(warmup, 2);
        for (int i = 0; i < warmupSteps || System.nanoTime() < warmEnd; i++) {
            step.run();
        }
        return BenchResult.measure("spnode-step", params, 0, steps, step);
    }

    private static Runnable step(TrainStepBenchmark.Engine engine, StructurePreservingNode.Options options, TimeGrid grid, int batch) {
        SpNodeTrainer.Parameters params = new SpNodeTrainer.Parameters(
                StructurePreservingNode.values(StructurePreservingNode.declare(SameDiff.create(), options, DataType.DOUBLE, 1)));
        INDArray x = Nd4j.create(DataType.DOUBLE, (long) (grid.steps() + 1) * batch, options.inputs());
        Random rng = new Random(0);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, rng.nextGaussian());
        }
        int[] update = {0};
        if (engine == TrainStepBenchmark.Engine.FUSED) {
            SpNodeStep fused = new SpNodeStep(options, grid, batch, params.values(), params.gradients());
            fused.input().assign(x);
            return () -> {
                fused.lossAndGradient();
                params.adam(1e-3, ++update[0]);
            };
        }
        double[][] a = params.linearOperator(options.linear());
        SpNodeTrainer.Graph graph = SpNodeTrainer.graph(options, grid, batch,
                Rollout.plans(options.integrator(), SpNodeTrainer.scaled(a, 2), grid, Precision.DOUBLE, batch));
        Map<String, INDArray> feed = Map.of(SpNodeTrainer.X, x);
        SameDiffQuiet.call(() -> graph.sd().calculateGradients(feed, params.values().keySet()));
        return () -> {
            StructurePreservingNode.assign(graph.parts(), params.values(), "bench");
            params.setGradients(graph.sd().calculateGradients(feed, params.values().keySet()));
            params.adam(1e-3, ++update[0]);
        };
    }
}
