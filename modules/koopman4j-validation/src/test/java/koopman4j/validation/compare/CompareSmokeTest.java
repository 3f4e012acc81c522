package koopman4j.validation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import koopman4j.core.data.DelayEmbedding;
import koopman4j.core.data.TrajectoryFiles;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.metrics.OnDelayVectors;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import koopman4j.layers.DeepKoopman;
import koopman4j.edmd.Edmd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code compare} harness end to end: the smoke config in every build, the full Table 1 under
 * {@code -Preproduce}. Its numbers are checked against a direct ErrorMetrics computation on the
 * saved models and the saved split.
 */
class CompareSmokeTest {

    private static final Path CONFIGS = Path.of("../../examples/configs");

    @TempDir
    Path out;

    @Test
    void smokeComparisonWritesTableFiguresAndErrorsThatMatchErrorMetrics() throws IOException {
        Comparison.run(CONFIGS.resolve("table1-smoke.yaml"), out, List.of());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("experiment,row,method,train_one_step_pct,test_one_step_pct,rollout_horizon,test_rollout_pct,seconds,"
                + "spectral_radius,gamma_k", csv.get(0));
        // 2 glycolysis rows × (ddmd + 2 dictionaries × 2 rules) + 2 POLS rows × (ddmd + 2 × 2)
        assertEquals(1 + 2 * 5 + 2 * 5, csv.size());
        Map<String, String[]> byKey = csv.stream().skip(1).map(l -> l.split(","))
                .collect(Collectors.toMap(f -> f[0] + "/" + f[1] + "/" + f[2], f -> f));
        for (String[] f : byKey.values()) {
            assertEquals(10, f.length);
            for (int i : new int[] {3, 4, 6, 7}) {
                double v = Double.parseDouble(f[i]);
                assertTrue(Double.isFinite(v) && v >= 0, String.join(",", f));
            }
            assertEquals(20, Integer.parseInt(f[5]), "rollout horizon of " + String.join(",", f));
        }
        for (String file : List.of("report.md", "glycolysis-multistep.png", "pols-multistep.png", "glycolysis-7-ddmd-eigenvalues.png",
                "glycolysis-3-edmd-rbf-eigenvalues.png", "glycolysis/7/ddmd-eigen.json", "glycolysis/7/selection.csv")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertPng(out.resolve("glycolysis-multistep.png"));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| Species measured | E-DMD train | E-DMD test | D-DMD train | D-DMD test |"), report);
        assertTrue(report.contains("(2.67%)") && report.contains("(<1%)"), "the seed's figures beside ours");
        assertTrue(report.contains("| Network size (POLS) | E-DMD train | E-DMD test | D-DMD train | D-DMD test | best possible |"), report);
        assertTrue(report.contains("| 3 | ddmd | 12-function deep dictionary on delay vectors (d = 1, τ = 2) |"), report);
        assertTrue(report.contains("| 7 | ddmd | 13-function deep dictionary |"), report);
        // the best-possible bound holds for y_k alone: none for the row on delay vectors
        assertTrue(report.lines().anyMatch(l -> l.startsWith("| 8 | ") && l.matches(".*\\| \\d+\\.\\d+% \\|$")), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("| 8-delays | ") && l.endsWith("| — |")), report);

        // the same numbers straight from ErrorMetrics on the saved split and models
        Path row = out.resolve("glycolysis/7");
        TrajectorySet train = TrajectoryFiles.read(row.resolve("data/train.npy"));
        TrajectorySet test = TrajectoryFiles.read(row.resolve("data/test.npy"));
        Edmd edmd = Edmd.load(row.resolve("edmd-legendre/model"));
        String[] e = byKey.get("glycolysis/7/edmd-legendre");
        assertEquals(ErrorMetrics.oneStepErrorPct(edmd, train), Double.parseDouble(e[3]), 1e-9);
        assertEquals(ErrorMetrics.oneStepErrorPct(edmd, test), Double.parseDouble(e[4]), 1e-9);
        assertEquals(ErrorMetrics.rolloutErrorPct(edmd, test, 20), Double.parseDouble(e[6]), 1e-9);
        DeepKoopman ddmd = DeepKoopman.load(row.resolve("ddmd/model"));
        String[] d = byKey.get("glycolysis/7/ddmd");
        assertEquals(ErrorMetrics.oneStepErrorPct(ddmd, test), Double.parseDouble(d[4]), 1e-9);
        assertEquals(ErrorMetrics.rolloutErrorPct(ddmd, test, 20), Double.parseDouble(d[6]), 1e-9);
        // the 3-species row has delay coordinates (1 delay of 2 samples): E-DMD was fitted to the same delay vectors
        Path delayed = out.resolve("glycolysis/3");
        TrajectorySet test3 = TrajectoryFiles.read(delayed.resolve("data/test.npy"));
        Edmd edmd3 = Edmd.load(delayed.resolve("edmd-rbf/model"));
        assertEquals(List.of("S1", "S2", "S3", "S1(t-2)", "S2(t-2)", "S3(t-2)"), edmd3.stateNames());
        var scored = new OnDelayVectors(edmd3, new DelayEmbedding(1, 2), 3);
        assertEquals(ErrorMetrics.oneStepErrorPct(scored, test3), Double.parseDouble(byKey.get("glycolysis/3/edmd-rbf")[4]), 1e-9);
        DeepKoopman ddmd3 = DeepKoopman.load(delayed.resolve("ddmd/model"));
        assertEquals(new DelayEmbedding(1, 2), ddmd3.embedding());
        assertEquals(ErrorMetrics.oneStepErrorPct(ddmd3, test3), Double.parseDouble(byKey.get("glycolysis/3/ddmd")[4]), 1e-9);
        // D-DMD saw the same split: the trainer's own metrics.json agrees with our test error
        JsonNode metrics = new ObjectMapper().readTree(row.resolve("ddmd/metrics.json").toFile());
        assertEquals(metrics.path("test").path("one_step_error_pct").asDouble(), Double.parseDouble(d[4]), 1e-9);
        assertEquals(metrics.path("train").path("one_step_error_pct").asDouble(), Double.parseDouble(d[3]), 1e-9);

        // eigen JSON: every eigenvalue with the coefficients of its eigenfunction over the dictionary
        JsonNode eigen = new ObjectMapper().readTree(row.resolve("edmd-legendre-eigen.json").toFile());
        int m = eigen.path("functions").asInt();
        assertEquals(edmd.dictionary().size(), m);
        assertEquals(m, eigen.path("eigenvalues").size());
        if (eigen.has("eigenfunctions")) {
            assertEquals(m, eigen.path("eigenfunctions").get(0).path("coefficients_re").size());
        }
    }

    @Test
    void ieee39SmokeComparisonReportsCertificatesErrorAgainstHorizonAndFigureFivePanels() throws IOException {
        Comparison.run(CONFIGS.resolve("ieee39-smoke.yaml"), out, List.of());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("experiment,row,method,train_one_step_pct,test_one_step_pct,rollout_horizon,test_rollout_pct,seconds,"
                + "spectral_radius,gamma_k,test_rollout_pct_1,test_rollout_pct_10,test_rollout_pct_20", csv.get(0));
        // one row × (ddmd + 2 dictionaries × 2 rules)
        assertEquals(1 + 5, csv.size(), String.join("\n", csv));
        Map<String, String[]> byMethod = csv.stream().skip(1).map(l -> l.split(",")).collect(Collectors.toMap(f -> f[2], f -> f));
        assertEquals(Set.of("ddmd", "edmd-legendre", "edmd-legendre-heldout", "edmd-trig", "edmd-trig-heldout"), byMethod.keySet());
        // every number against the saved models and split: errors by ErrorMetrics, (ρ(K), γ(K)) by the models' own certificate
        Path row = out.resolve("ieee39/10-generators");
        TrajectorySet test = TrajectoryFiles.read(row.resolve("data/test.npy"));
        Map<String, KoopmanModel> models = Map.of("ddmd", DeepKoopman.load(row.resolve("ddmd/model")),
                "edmd-legendre", Edmd.load(row.resolve("edmd-legendre/model")), "edmd-trig", Edmd.load(row.resolve("edmd-trig/model")));
        for (var m : models.entrySet()) {
            String[] f = byMethod.get(m.getKey());
            assertEquals(13, f.length, String.join(",", f));
            Map<Integer, Double> errors = ErrorMetrics.rolloutErrorPct(m.getValue(), test, 1, 10, 20);
            assertEquals(errors.get(1), Double.parseDouble(f[10]), 1e-9, m.getKey());
            assertEquals(errors.get(10), Double.parseDouble(f[11]), 1e-9, m.getKey());
            assertEquals(errors.get(20), Double.parseDouble(f[12]), 1e-9, m.getKey());
            assertEquals(Double.parseDouble(f[6]), Double.parseDouble(f[12]), 0, "rolloutHorizon 20 is the last errorHorizon");
            StabilityCertificate c = m.getValue().stability();
            assertEquals(c.spectralBound(), Double.parseDouble(f[8]), 1e-12, m.getKey());
            double gamma = Double.isFinite(c.distance().exact()) ? c.distance().exact() : c.distance().upper();
            assertEquals(gamma, Double.parseDouble(f[9]), 1e-12, m.getKey());
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| System | method | model | train | test | rollout | ρ(K) | γ(K) | seconds |"), report);
        assertTrue(report.contains("### Test rollout error against horizon"), report);
        assertTrue(report.contains("| System | method | h = 1 | h = 10 | h = 20 |"), report);
        assertTrue(report.lines().filter(l -> l.startsWith("| 10-generators | ")).count() >= 5 + 3, report);
        assertPng(out.resolve("ieee39-horizons.png"));
        // Fig. 5: angles and speeds of generators 1-3, E-DMD above D-DMD: 2 × 2 panels
        BufferedImage figure = ImageIO.read(out.resolve("ieee39-multistep.png").toFile());
        assertEquals(2 * 520, figure.getWidth());
        assertEquals(2 * 360, figure.getHeight());
    }

    @Test
    @Tag("reproduce")
    void fullIeee39Comparison() throws IOException {
        Comparison.run(CONFIGS.resolve("ieee39.yaml"), Path.of("target/ieee39"), List.of());
        List<String> csv = Files.readAllLines(Path.of("target/ieee39/results.csv"));
        assertEquals(1 + 5, csv.size());
        // a damped swing: D-DMD's K must be stable (the E-DMD K's carry the constant function's eigenvalue 1)
        String[] ddmd = csv.stream().filter(l -> l.contains(",ddmd,")).findFirst().orElseThrow().split(",");
        assertTrue(Double.parseDouble(ddmd[8]) <= 1, "ρ(K) of D-DMD " + ddmd[8]);
    }

    @Test
    @Tag("reproduce")
    void fullTableOne() throws IOException {
        Comparison.run(CONFIGS.resolve("table1.yaml"), Path.of("target/table1"), List.of());
        List<String> csv = Files.readAllLines(Path.of("target/table1/results.csv"));
        assertTrue(csv.size() > 9, "every row ran");
    }

    private static void assertPng(Path file) throws IOException {
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertEquals(8, in.read(head));
        }
        assertEquals((byte) 0x89, head[0]);
        assertEquals("PNG", new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
