package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code study}: every bad input is exit code 2 with one clear line, refused before anything is trained
 * (the study itself runs end to end in koopman4j-validation's TransientGrowthStudyTest).
 */
class StudyCommandTest {

    private static final String LINEAR = "../../examples/configs/transient-growth-linear-etd1.yaml";
    private static final String NONLINEAR = "../../examples/configs/transient-growth-etd1.yaml";

    @TempDir
    Path dir;

    private CliRun study(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("study", name, "--out", dir.resolve("out").toString(), "--linear-config", LINEAR,
                "--nonlinear-config", NONLINEAR));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertBadInput(CliRun run, String... fragments) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        for (String f : fragments) {
            assertTrue(run.err().contains(f), "'" + f + "' not in: " + run.err());
        }
        assertFalse(Files.exists(dir.resolve("out/eps0-etd1")), "nothing trained");
    }

    @Test
    void rejectsUnknownStudy() {
        assertBadInput(study("robertson"), "koopman4j: study: unknown study 'robertson'; known studies: transient-growth, kuramoto-sivashinsky");
    }

    @Test
    void rejectsMissingStudyName() {
        CliRun run = CliRun.of("study", "--out", dir.resolve("out").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("Missing required parameter: 'NAME'"), run.err());
    }

    @Test
    void rejectsSetWithoutValue() {
        assertBadInput(study("transient-growth", "--set", "training.steps"), "--set 'training.steps': expected key.path=value");
    }

    @Test
    void rejectsSetOfUnknownKey() {
        assertBadInput(study("transient-growth", "--set", "training.stepz=3"), "--set: unknown key 'training.stepz'");
    }

    @Test
    void rejectsSetOfWrongType() {
        assertBadInput(study("transient-growth", "--set", "training.steps=many"), "transient-growth-linear-etd1.yaml", "training.steps");
    }

    @Test
    void rejectsSetOfTheIntegrator() {
        assertBadInput(study("transient-growth", "--set", "model.integrator=rk4"),
                "--set model.integrator=rk4: the study trains every integrator of [etd1, imex] itself");
    }

    @Test
    void rejectsMissingConfig() {
        CliRun run = CliRun.of("study", "transient-growth", "--out", dir.resolve("out").toString(), "--linear-config", LINEAR,
                "--nonlinear-config", dir.resolve("nope.yaml").toString());
        assertBadInput(run, "nope.yaml: no such config file");
    }

    @Test
    void rejectsSwappedConfigs() {
        CliRun run = CliRun.of("study", "transient-growth", "--out", dir.resolve("out").toString(), "--linear-config", NONLINEAR,
                "--nonlinear-config", LINEAR);
        assertBadInput(run, "linear config (ε = 0): data.system is 'transient-growth', expected transient-growth-linear");
    }

    private CliRun ks(String... extra) {
        List<String> args = new ArrayList<>(List.of("study", "kuramoto-sivashinsky", "--out", dir.resolve("out").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void rejectsTheOtherStudysOptions() {
        assertBadInput(ks("--linear-config", LINEAR),
                "--linear-config and --nonlinear-config apply to the transient-growth study; give --config");
        assertBadInput(study("transient-growth", "--config", LINEAR),
                "--config and --threshold apply to the kuramoto-sivashinsky study, not to transient-growth");
    }

    @Test
    void rejectsANonPositiveThresholdAndAMissingKuramotoSivashinskyConfig() {
        assertBadInput(ks("--threshold", "0"), "--threshold must be a finite number > 0, got 0.0");
        assertBadInput(ks("--config", dir.resolve("nope.yaml").toString()), "nope.yaml: no such config file");
    }

    @Test
    void rejectsAKuramotoSivashinskyConfigOfAnotherSystem() {
        assertBadInput(ks("--config", NONLINEAR), "transient-growth-etd1.yaml: data.system is 'transient-growth', expected kuramoto-sivashinsky");
    }
}
