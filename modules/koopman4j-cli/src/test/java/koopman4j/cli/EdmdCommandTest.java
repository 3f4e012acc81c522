package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edmd} fits a baseline with the same layout as {@code train}; {@code evaluate} reads it back. */
class EdmdCommandTest {

    @TempDir
    Path dir;
    Path data;

    @BeforeEach
    void simulate() {
        data = dir.resolve("g.csv");
        assertEquals(0, CliRun.of("simulate", "glycolysis", "--trajectories", "10", "--steps", "60", "--dt", "0.01", "--seed", "5",
                "--observe", "1,2,6", "--out", data.toString()).exitCode());
    }

    @Test
    void fitsEvaluatesAndCertifiesAnEdmdBaseline() throws Exception {
        Path run = dir.resolve("edmd");
        CliRun r = CliRun.of("edmd", "--dictionary", "hermite", "--degree", "2", "--lambda", "0", "--data", data.toString(),
                "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        double oneStep = metrics.path("test").path("one_step_error_pct").asDouble(Double.NaN);
        assertTrue(oneStep > 0 && oneStep < 10, "one-step " + oneStep);
        assertTrue(metrics.path("stability").has("spectral_radius"));
        Path report = dir.resolve("eval.json");
        CliRun e = CliRun.of("evaluate", "--model", run.resolve("model").toString(), "--data", data.toString(), "--out", report.toString());
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(Files.readString(report).contains("rollout_error_pct"));
    }

    @Test
    void rejectsUnknownDictionaryAndNegativeLambda() {
        CliRun r = CliRun.of("edmd", "--dictionary", "fourier", "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertEquals("koopman4j: unknown dictionary 'fourier'; expected legendre, hermite, monomial, rbf or trig", r.err());
        r = CliRun.of("edmd", "--dictionary", "legendre", "--lambda", "-1", "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertEquals("koopman4j: lambda must be ≥ 0, got -1", r.err());
    }

    @Test
    void fitsTheTrigDictionaryOnTheAnglesOfIeee39() throws Exception {
        Path swing = dir.resolve("ieee39.csv");
        assertEquals(0, CliRun.of("simulate", "ieee39", "--trajectories", "8", "--steps", "40", "--dt", "0.05", "--seed", "2",
                "--out", swing.toString()).exitCode());
        Path run = dir.resolve("trig");
        CliRun r = CliRun.of("edmd", "--dictionary", "trig", "--degree", "1", "--angles", "1,2,3,4,5,6,7,8,9", "--tikhonov", "1e-10",
                "--data", swing.toString(), "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode model = new ObjectMapper().readTree(run.resolve("model/model.json").toFile());
        assertEquals("trig", model.path("options").path("dictionary").asText());
        assertEquals(1 + 19 + 9 * 10, model.path("koopman").size());
        r = CliRun.of("edmd", "--dictionary", "trig", "--angles", "1,20", "--data", swing.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertEquals("koopman4j: trig dictionary: angle state 20 does not exist; the states are numbered 1 … 19", r.err());
    }

    @Test
    void refusesADictionaryThatWillNotFitInMemory() {
        CliRun r = CliRun.of("edmd", "--dictionary", "monomial", "--degree", "60", "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("lower --degree"), r.err());
    }
}
