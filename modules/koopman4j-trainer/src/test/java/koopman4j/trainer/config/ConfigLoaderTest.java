package koopman4j.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void mergesFileOverDefaultsAndSetOverFile() throws IOException {
        Path f = yaml("data: { system: glycolysis, observe: [1, 3] }\ntraining: { steps: 50 }\n");
        TrainConfig c = ConfigLoader.load(f, List.of("training.steps=70", "data.observe=[2, 4, 6]", "model.dictionary.activation=tanh"));
        assertEquals(70, c.training().steps());
        assertEquals(List.of(2, 4, 6), c.data().observe());
        assertEquals("tanh", c.model().dictionary().activation());
        assertEquals(64, c.model().dictionary().width()); // default kept
        assertEquals("glycolysis", c.data().system());
    }

    @Test
    void rejectsUnknownKeyNamingItsPath() throws IOException {
        Path f = yaml("training: { steps: 5, rollout: { horizon: 3 } }\n");
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of()));
        assertEquals(f + ": unknown key 'training.rollout.horizon' (known here: horizons, fromStartFraction, keepOptimizerState)", e.getMessage());
    }

    @Test
    void rejectsWrongTypeNamingTheField() throws IOException {
        Path f = yaml("data: { system: glycolysis }\ntraining: { batchSize: 2.5 }\n");
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of()));
        assertEquals(true, e.getMessage().startsWith(f + ": training.batchSize"), e.getMessage());
    }

    @Test
    void rejectsInvalidValuesWithTheRecordsOwnMessage() throws IOException {
        Path f = yaml("data: { system: glycolysis }\ntraining: { optimizer: sgd }\n");
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of()));
        assertEquals(f + ": training.optimizer: unknown optimizer 'sgd'; expected adam or adagrad", e.getMessage());
        Path engine = yaml("data: { system: glycolysis }\ntraining: { engine: gpu }\n");
        assertEquals(engine + ": training.engine: unknown engine 'gpu'; expected auto, fused or samediff",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(engine, List.of())).getMessage());
        Path none = yaml("training: { steps: 5 }\n");
        assertEquals(none + ": data: give exactly one of data.system and data.path (or --data)",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(none, List.of())).getMessage());
    }

    @Test
    void rejectsCheckpointAndDivergenceSettingsOutOfRange() throws IOException {
        Path f = yaml("data: { system: glycolysis }\n");
        String[][] cases = {
            {"training.keepCheckpoints=0", "training.keepCheckpoints must be at least 1, got 0"},
            {"training.divergence.retries=-1", "training.divergence.retries must be at least 0, got -1"},
            {"training.divergence.lrFactor=1.5", "training.divergence.lrFactor must be in (0, 1), got 1.5"},
            {"training.divergence.lrFactor=0", "training.divergence.lrFactor must be in (0, 1), got 0.0"},
            {"training.divergence.explosion=1", "training.divergence.explosion must be greater than 1, got 1.0"},
        };
        for (String[] c : cases) {
            assertEquals(f + ": " + c[1], assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of(c[0]))).getMessage());
        }
        TrainConfig defaults = ConfigLoader.load(f, List.of());
        assertEquals(2, defaults.training().keepCheckpoints());
        assertEquals(new TrainConfig.Divergence(3, 0.5, 1.0e4), defaults.training().divergence());
    }

    @Test
    void rejectsMalformedOverridesAndFiles() throws IOException {
        assertEquals("--set 'training.steps': expected key.path=value",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(null, List.of("training.steps"))).getMessage());
        assertEquals("--set: training is a section; set one of its fields",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(null, List.of("training=3"))).getMessage());
        Path missing = dir.resolve("absent.yaml");
        assertEquals(missing + ": no such config file",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(missing, List.of())).getMessage());
        Path bad = yaml("model: [unclosed\n");
        assertEquals(true, assertThrows(InvalidDataException.class, () -> ConfigLoader.load(bad, List.of()))
                .getMessage().startsWith(bad + ": not valid YAML"));
    }

    @Test
    void spNodeKindGetsItsOwnModelDefaultsOnly() throws IOException {
        Path f = yaml("model: { kind: sp-node, nonlinear: { kind: bilinear, rank: 3 } }\n"
                + "data: { system: transient-growth, trainSamples: [0, 50] }\n");
        TrainConfig c = ConfigLoader.load(f, List.of("model.integrator=imex"));
        assertEquals("sp-node", c.model().kind());
        assertEquals("bilinear", c.model().nonlinear().kind());
        assertEquals(3, c.model().nonlinear().rank());
        assertEquals(100, c.model().nonlinear().width()); // default kept
        assertEquals("imex", c.model().integrator());
        assertEquals(List.of(0, 50), c.data().trainSamples());
        assertEquals(null, c.model().dictionary());
        Path dmd = yaml("model: { kind: sp-node, dictionary: { depth: 2 } }\ndata: { system: glycolysis }\n");
        assertEquals(dmd + ": unknown key 'model.dictionary' (known here: kind, linear, nonlinear, autoencoder, integrator)",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(dmd, List.of())).getMessage());
    }

    @Test
    void rejectsSpNodeSettingsOutOfRange() throws IOException {
        Path f = yaml("model: { kind: sp-node }\ndata: { system: transient-growth }\n");
        assertEquals(f + ": model.integrator: unknown integrator 'euler'; expected etd1, imex or rk4",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("model.integrator=euler"))).getMessage());
        assertEquals(f + ": model.nonlinear.lipschitzBound must be a finite number > 0, got 0.0",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("model.nonlinear.lipschitzBound=0"))).getMessage());
        assertEquals(f + ": model.nonlinear.rank must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("model.nonlinear.rank=0"))).getMessage());
        assertEquals(f + ": data.trainSamples must be at least two increasing sample indices ≥ 0, got [10, 5]",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.trainSamples=[10, 5]"))).getMessage());
        assertEquals(f + ": model.kind: unknown model kind 'rnn'; expected deep-dmd or sp-node",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("model.kind=rnn"))).getMessage());
        assertEquals(f + ": model.linear.initialRates[0] must be a finite number > 0, got -1.0",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("model.linear.initialRates=[-1, 1]"))).getMessage());
        assertEquals(f + ": training.lossTime: unknown 'ln'; expected linear (eq. 20 in t) or log (in log t)",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("training.lossTime=ln"))).getMessage());
        Path nan = yaml("model: { kind: sp-node, linear: { mu: 1.0e999 } }\ndata: { system: transient-growth }\n");
        assertEquals(nan + ": model.linear.mu must be finite, got Infinity",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(nan, List.of())).getMessage());
    }

    @Test
    void readsLogSpacedTimesPerturbationAndScale() throws IOException {
        Path f = yaml("model: { kind: sp-node }\ndata: { system: robertson, perturbation: 1.0e-4, scale: [1, 1.0e4, 1],"
                + " logTimes: { from: 4.0e-6, to: 4.0e6, count: 50 } }\n");
        TrainConfig c = ConfigLoader.load(f, List.of());
        assertEquals(List.of(1.0, 1.0e4, 1.0), c.data().scale());
        assertEquals(1e-4, c.data().perturbation());
        double[] t = c.data().logTimes().times();
        assertEquals(50, t.length);
        assertEquals(4e-6, t[0]);
        assertEquals(4e6, t[49]);
        assertEquals(Math.pow(1e12, 1.0 / 49), t[1] / t[0], 1e-12);
        assertEquals(3.03e-6, t[1] - t[0], 0.01e-6);        // seed 001 §5.2: the smallest step
        assertEquals(1.72e6, t[49] - t[48], 0.01e6);        // and the largest
        TrainConfig plain = ConfigLoader.load(yaml("data: { system: glycolysis }\n"), List.of());
        assertEquals(false, plain.data().logTimes().used());
        assertEquals(List.of(), plain.data().scale());
        assertEquals(null, plain.data().perturbation());
    }

    @Test
    void rejectsAScaleOfZeroAndAScaleForDeepDmd() throws IOException {
        Path f = yaml("model: { kind: sp-node }\ndata: { system: robertson }\n");
        assertEquals(f + ": data.scale[1] must be a finite number > 0, got 0.0",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.scale=[1, 0, 1]"))).getMessage());
        assertEquals(f + ": data.scale[0] must be a finite number > 0, got -2.0",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.scale=[-2, 1, 1]"))).getMessage());
        Path dmd = yaml("data: { system: glycolysis, scale: [1, 2, 3, 4, 5, 6, 7] }\n");
        assertEquals(dmd + ": data.scale is for sp-node models; Deep DMD normalises its states itself",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(dmd, List.of())).getMessage());
    }

    @Test
    void rejectsNegativeOrUnorderedLogTimeSpans() throws IOException {
        Path f = yaml("model: { kind: sp-node }\ndata: { system: robertson, logTimes: { from: 4.0e-6, to: 4.0e6, count: 50 } }\n");
        assertEquals(f + ": data.logTimes.from must be a finite time > 0 (log spacing), got -1.0",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.logTimes.from=-1"))).getMessage());
        assertEquals(f + ": data.logTimes.from must be a finite time > 0 (log spacing), got 0.0",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.logTimes.from=0"))).getMessage());
        assertEquals(f + ": data.logTimes: to (1.0E-6) must be a finite time after from (4.0E-6)",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.logTimes.to=1.0e-6"))).getMessage());
        assertEquals(f + ": data.logTimes.count must be at least 2 sample times, got 1",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.logTimes.count=1"))).getMessage());
        assertEquals(f + ": data.logTimes.count must be ≥ 0 (0: not used), got -3",
                assertThrows(InvalidDataException.class, () -> ConfigLoader.load(f, List.of("data.logTimes.count=-3"))).getMessage());
    }
}
