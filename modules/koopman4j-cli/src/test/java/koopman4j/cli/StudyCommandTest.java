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
    private static final String ROBERTSON = "../../examples/configs/robertson-etd1.yaml";

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
        assertBadInput(study("lorenz"), "koopman4j: study: unknown study 'lorenz'; known studies: transient-growth, robertson, kuramoto-sivashinsky");
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
                "--config applies to the robertson and kuramoto-sivashinsky studies; transient-growth takes --linear-config and --nonlinear-config");
        assertBadInput(study("transient-growth", "--threshold", "0.3"), "--threshold applies to the kuramoto-sivashinsky study, not to transient-growth");
        assertBadInput(ks("--runs", "etd1"), "--runs applies to the robertson study, not to kuramoto-sivashinsky");
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

    private CliRun robertson(String... more) {
        List<String> args = new ArrayList<>(List.of("study", "robertson", "--out", dir.resolve("out").toString(), "--config", ROBERTSON));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void robertsonRejectsUnknownRunsAndTheOtherStudiesOptions() {
        assertBadInput(robertson("--runs", "etd1,rk4"), "--runs: unknown run 'rk4'; expected some of etd1-ae, etd1, imex-ae");
        assertBadInput(robertson("--runs", "etd1,etd1"), "--runs: each run at most once, got [etd1, etd1]");
        assertBadInput(robertson("--linear-config", LINEAR), "--linear-config and --nonlinear-config apply to the transient-growth study");
        assertBadInput(robertson("--threshold", "0.2"), "--threshold applies to the kuramoto-sivashinsky study, not to robertson");
        assertBadInput(CliRun.of("study", "robertson", "--out", dir.resolve("out").toString(), "--config", ROBERTSON + "," + ROBERTSON),
                "--config: the robertson study takes one config, got 2");
        assertBadInput(study("transient-growth", "--runs", "etd1"), "--runs applies to the robertson study, not to transient-growth");
        assertFalse(Files.exists(dir.resolve("out/etd1")), "nothing trained");
    }

    @Test
    void robertsonRejectsBadDataSettingsBeforeSimulatingOrTraining() {
        assertBadInput(robertson("--set", "data.scale=[1, 0, 1]"), "robertson-etd1.yaml: data.scale[1] must be a finite number > 0, got 0.0");
        assertBadInput(robertson("--set", "data.logTimes.from=-4.0e-6"), "data.logTimes.from must be a finite time > 0 (log spacing), got -4.0E-6");
        assertBadInput(robertson("--set", "data.logTimes.to=1.0e-6"), "data.logTimes: to (1.0E-6) must be a finite time after from (4.0E-6)");
        assertBadInput(robertson("--set", "data.logTimes.count=0"), "the robertson study samples log-spaced times: give data.logTimes");
        assertBadInput(robertson("--set", "data.system=glycolysis"), "data.system must be robertson, got 'glycolysis'");
        assertBadInput(robertson("--set", "model.integrator=imex"), "--set model.integrator=imex: the study sets model.integrator itself");
        assertBadInput(robertson("--set", "model.autoencoder.latent=0"), "model.autoencoder.latent is 0, but the runs [etd1-ae, imex-ae] need an autoencoder");
        assertFalse(Files.exists(dir.resolve("out/data")), "nothing simulated");
    }

    @Test
    void robertsonRejectsAPerturbationThatMakesAConcentrationNegative() {
        assertBadInput(robertson("--runs", "etd1", "--set", "data.perturbation=0.75", "--set", "data.trajectories=3"),
                "data.perturbation: robertson: 0.75 can make y1 = 1 − ε·(u2 + u3) negative; it must be in [0, 0.5]");
    }
}
