package koopman4j.core.linalg;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import koopman4j.benchmarks.BenchResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side run against benchmarks/peers/scipy_expmv.py (long; {@code -Preproduce}). Properties:
 * {@code koopman4j.expmv.inputs} (the peer's --save directory; seeded inputs without it),
 * {@code koopman4j.expmv.sizes} (default 64,256,1024), {@code koopman4j.expmv.gemm} (java by default, nd4j
 * or both; ND4J needs its backend, and {@code -Preproduce} alone switches the default {@code cpu} profile
 * off, so name both: {@code -Pcpu,reproduce}). Prints one JSON line per result, as the peer does.
 */
@Tag("reproduce")
class ExpmvBenchmarkReproduceTest {

    @Test
    void timesThePeerProblem() {
        String dir = System.getProperty("koopman4j.expmv.inputs");
        int[] sizes = Arrays.stream(System.getProperty("koopman4j.expmv.sizes", "64,256,1024").split(",")).mapToInt(Integer::parseInt).toArray();
        String which = System.getProperty("koopman4j.expmv.gemm", "java");
        List<Gemm> gemms = switch (which) {
            case "nd4j" -> List.of(new Nd4jGemm());
            case "both" -> List.of(new Nd4jGemm(), Gemm.plainJava());
            default -> List.of(Gemm.plainJava());
        };
        for (Gemm gemm : gemms) {
            for (BenchResult r : ExpmvBenchmark.run(sizes, 256, 9, dir == null ? null : Path.of(dir), gemm)) {
                System.out.printf("{\"name\": \"%s\", \"params\": %s, \"median_ms\": %.3f, \"p10_ms\": %.3f, \"p90_ms\": %.3f}%n",
                        r.name(), json(r), r.medianMs(), r.p10Ms(), r.p90Ms());
            }
        }
    }

    private static String json(BenchResult r) {
        StringBuilder sb = new StringBuilder("{");
        r.params().forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                .append(v instanceof Number ? v.toString() : "\"" + v + "\""));
        return sb.append('}').toString();
    }
}
