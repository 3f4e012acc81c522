package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare}: an E-DMD-only run end to end, and every bad input as exit code 2 with one clear line. */
class CompareCommandTest {

    @TempDir
    Path dir;

    private Path config(String edmd, String extra) throws IOException {
        Files.writeString(dir.resolve("g.yaml"), "model: { dictionary: { depth: 1, width: 4, outputs: 2 } }\n"
                + "data: { system: glycolysis, trajectories: 6, steps: 30, observe: [1, 2, 6] }\ntraining: { steps: 2, evalEvery: 1 }\n");
        Path c = dir.resolve("compare.yaml");
        Files.writeString(c, extra + "rolloutHorizon: 10\nexperiments:\n  - name: glycolysis\n    edmd: " + edmd
                + "\n    rows:\n      - { name: \"3\", train: g.yaml, paper: { edmdTrain: 4.67% } }\n");
        return c;
    }

    private static final String SWEEP = "{ dictionaries: [hermite, rbf], degrees: [1, 2], centres: [5], lambdaFractions: [0, 0.01] }";

    private CliRun compare(Path config) {
        return CliRun.of("compare", "--config", config.toString(), "--out", dir.resolve("out").toString());
    }

    private static void assertBadInput(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "'" + f + "' not in: " + run.err());
        }
    }

    @Test
    void edmdOnlyComparisonWritesResultsAndReport() throws IOException {
        CliRun r = CliRun.of("compare", "--config", config(SWEEP, "").toString(), "--out", dir.resolve("out").toString(), "--methods", "edmd");
        assertEquals(0, r.exitCode(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("out/results.csv"));
        assertEquals("experiment,row,method,train_one_step_pct,test_one_step_pct,rollout_horizon,test_rollout_pct,seconds,"
                + "spectral_radius,gamma_k", csv.get(0));
        assertEquals(List.of("edmd-hermite", "edmd-hermite-heldout", "edmd-rbf", "edmd-rbf-heldout"),
                csv.stream().skip(1).map(l -> l.split(",")[2]).toList());
        assertTrue(Files.readString(dir.resolve("out/report.md")).contains("(4.67%)"));
        assertTrue(Files.size(dir.resolve("out/glycolysis-3-edmd-rbf-eigenvalues.png")) > 0);
    }

    @Test
    void rejectsAnErrorHorizonBelowOneOrListedTwice() throws IOException {
        assertBadInput(compare(config(SWEEP, "errorHorizons: [1, 0]\n")), "compare.yaml: errorHorizons must be at least 1, got 0");
        assertBadInput(compare(config(SWEEP, "errorHorizons: [10, 5, 10]\n")), "compare.yaml: errorHorizons lists 10 twice");
    }

    @Test
    void rejectsFigureStatesThatAreNotStatesOrTooMany() throws IOException {
        Path c = config(SWEEP, "methods: [edmd]\n");
        Files.writeString(c, Files.readString(c).replace("    rows:", "    figureStates: [[S1, omega9]]\n    rows:"));
        assertBadInput(compare(c), "compare.yaml: experiments[glycolysis].rows[3]: figureStates: 'omega9' is not a state of the row's data (S1, S2, S6)");
        Files.writeString(c, Files.readString(c).replace("[[S1, omega9]]", "[[S1], []]"));
        assertBadInput(compare(c), "compare.yaml: experiments[glycolysis].figureStates: a panel needs 1 to 7 states, got []");
    }

    @Test
    void rejectsUnknownKey() throws IOException {
        assertBadInput(compare(config(SWEEP, "colour: red\n")), "compare.yaml: unknown key 'colour'");
    }

    @Test
    void rejectsMissingTrainConfig() throws IOException {
        Path c = config(SWEEP, "");
        Files.writeString(c, Files.readString(c).replace("train: g.yaml", "train: missing.yaml"));
        assertBadInput(compare(c), "experiments[glycolysis].rows[3].train: no such train config", "missing.yaml");
    }

    @Test
    void rejectsNegativeLambda() throws IOException {
        assertBadInput(compare(config("{ dictionaries: [hermite], degrees: [2], lambdaFractions: [0, -0.5] }", "")),
                "rows[3]", "λ fractions must be in [0, 1], got -0.5");
    }

    @Test
    void rejectsUnknownDictionary() throws IOException {
        assertBadInput(compare(config("{ dictionaries: [fourier], degrees: [2], lambdaFractions: [0] }", "")),
                "unknown dictionary 'fourier'; expected legendre, hermite, monomial, rbf or trig");
    }

    @Test
    void rejectsDictionaryTooLargeForMemory() throws IOException {
        assertBadInput(compare(config("{ dictionaries: [monomial], degrees: [2, 60], lambdaFractions: [0] }", "")),
                "E-DMD: monomial degree 60 on 3 states", "lower --degree");
    }

    @Test
    void rejectsMissingConfigFile() {
        assertBadInput(compare(dir.resolve("nope.yaml")), "nope.yaml: no such config file");
    }
}
