package koopman4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import koopman4j.benchmarks.BenchResult;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.linalg.ExpmvBenchmark;
import koopman4j.core.linalg.Nd4jGemm;
import koopman4j.core.stability.StabilityBenchmark;
import koopman4j.trainer.SpNodeStepBenchmark;
import koopman4j.edmd.EdmdFitBenchmark;
import koopman4j.trainer.TrainStepBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench NAME}: benchmarks with warm-up and repeats; a table, or JSON lines like the peer scripts. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: train-step, spnode-step, edmd-fit, expmv, stability.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "train-step, spnode-step, edmd-fit, expmv or stability")
    String name;

    @Option(names = "--json", description = "one JSON object per line: name, params, median_ms, p10_ms, p90_ms")
    boolean json;

    @Option(names = "--repeats", defaultValue = "100", description = "timed repeats (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--engine", defaultValue = "fused", description = "train-step: fused, samediff or gemm (the step's GEMMs alone); spnode-step: fused or samediff (default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--batch", split = ",", defaultValue = "256,4096", description = "train-step: batch sizes (default ${DEFAULT-VALUE})")
    int[] batches;

    @Option(names = "--width", split = ",", defaultValue = "64", description = "train-step: hidden widths (default ${DEFAULT-VALUE})")
    int[] widths;

    @Option(names = "--depth", split = ",", defaultValue = "3", description = "train-step: hidden layers (default ${DEFAULT-VALUE})")
    int[] depths;

    @Option(names = "--problem", split = ",", defaultValue = "transient-growth,ks", description = "spnode-step: transient-growth, ks (default ${DEFAULT-VALUE})")
    List<String> problems;

    @Option(names = "--degree", split = ",", defaultValue = "3,4,5", description = "edmd-fit: Legendre total degrees (default ${DEFAULT-VALUE})")
    int[] degrees;

    @Option(names = "--inputs", description = "expmv: directory with A_<n>.npy, B_<n>.npy written by benchmarks/peers/scipy_expmv.py --save")
    java.nio.file.Path inputs;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new InvalidDataException("--repeats must be at least 1, got " + repeats);
        }
        List<BenchResult> results = switch (name) {
            case "train-step" -> TrainStepBenchmark.run(TrainStepBenchmark.Engine.parse(engine), batches, widths, depths, 20, 7, 30, repeats);
            case "spnode-step" -> SpNodeStepBenchmark.run(TrainStepBenchmark.Engine.parse(engine),
                    problems.stream().map(SpNodeStepBenchmark.Problem::parse).toList(), 10, repeats);
            case "edmd-fit" -> EdmdFitBenchmark.run(degrees, Math.min(repeats, 5));
            case "expmv" -> ExpmvBenchmark.run(new int[] {64, 256, 1024}, 256, Math.min(repeats, 9), inputs, new Nd4jGemm());
            case "stability" -> StabilityBenchmark.run(new int[] {10, 20, 50, 100, 200, 300, 500}, Math.min(repeats, 3));
            default -> throw new InvalidDataException("unknown benchmark '" + name + "'; expected train-step, spnode-step, edmd-fit, expmv or stability");
        };
        ObjectMapper mapper = new ObjectMapper();
        for (BenchResult r : results) {
            if (json) {
                ObjectNode o = mapper.createObjectNode();
                o.put("name", r.name());
                o.set("params", mapper.valueToTree(r.params()));
                o.put("median_ms", round(r.medianMs()));
                o.put("p10_ms", round(r.p10Ms()));
                o.put("p90_ms", round(r.p90Ms()));
                System.out.println(mapper.writeValueAsString(o));
            } else {
                System.out.printf(Locale.ROOT, "%-12s %-60s median %9.3f ms  p10 %9.3f  p90 %9.3f%n", r.name(), r.params(),
                        r.medianMs(), r.p10Ms(), r.p90Ms());
            }
        }
        return 0;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
