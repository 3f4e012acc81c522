package koopman4j.trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import koopman4j.core.bench.BenchResult;
import koopman4j.layers.Activation;
import koopman4j.layers.DeepDictionary;
import koopman4j.layers.DeepKoopmanGraph;
import koopman4j.layers.SameDiffQuiet;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@code bench train-step}: milliseconds per Deep DMD training step (eq. 8, one-step loss,
 * λ₁ = 1e-6, Adam 1e-3, float32) on random pairs, the same problem as
 * benchmarks/peers/torch_train_step.py so the two can be put side by side.
 */
public final class TrainStepBenchmark {

    private TrainStepBenchmark() {
    }

    public static List<BenchResult> run(int[] batches, int width, int depth, int dictionary, int n, int warmup, int steps) {
        List<BenchResult> results = new ArrayList<>();
        for (int batch : batches) {
            DeepDictionary.Options dict = new DeepDictionary.Options(n, depth, width, dictionary, Activation.ELU, false, 0);
            SameDiff sd = DeepKoopmanGraph.training(dict, new DeepKoopmanGraph.LossWeights(1e-6, 0, 0, 0, 0),
                    new DeepKoopmanGraph.Batch(batch, 1), DataType.FLOAT);
            sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3))
                    .dataSetFeatureMapping(DeepKoopmanGraph.Z).markLabelsUnused().build());
            Nd4j.getRandom().setSeed(0);
            // one window of one step per pair: rows 0…B−1 are x, rows B…2B−1 are x₊
            INDArray pairs = Nd4j.rand(DataType.FLOAT, 2L * batch, n);
            MultiDataSet data = new MultiDataSet(new INDArray[] {pairs}, new INDArray[0]);
            SameDiffQuiet.call(() -> sd.fit(data));
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("batch", batch);
            params.put("width", width);
            params.put("depth", depth);
            params.put("dict", dictionary);
            params.put("n", n);
            params.put("threads", threads());
            // One fit call per step: fitting chunks of steps through an iterator (one training session
            // per chunk) measured 3-6x slower per step in M2.1, so the trainer does not do that.
            results.add(BenchResult.measure("train-step", params, warmup, steps, () -> sd.fit(data)));
        }
        return results;
    }

    /** OpenMP threads ND4J computes with: OMP_NUM_THREADS when set, else one per core. */
    private static int threads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            return omp == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(omp.trim());
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }
}
