package koopman4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.model.KoopmanModel;
import koopman4j.edmd.Edmd;
import koopman4j.systems.Glycolysis;
import koopman4j.systems.Simulator;
import koopman4j.systems.TransientGrowth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every model kind fitted through the public API, saved, then loaded and rolled out by another JVM
 * ({@link LoadAndPredict}) that has run no training code: its forecasts equal this JVM's bit for bit.
 */
class FreshJvmTest {

    @TempDir
    Path dir;

    @Test
    void everyKindFittedHereForecastsTheSameNumbersInAFreshJvm() throws Exception {
        TrajectorySet glycolysis = new Simulator(new Glycolysis()).simulate(8, Simulator.uniformTimes(40, 0.01), 11);
        TrajectorySet growth = new Simulator(new TransientGrowth(0)).simulate(20, Simulator.uniformTimes(5, 0.2), 12);
        Map<String, KoopmanModel> models = new LinkedHashMap<>();
        models.put("deep-dmd", DeepDmd.fit(glycolysis, DeepDmd.Options.defaults().with("model.dictionary.depth=1",
                "model.dictionary.width=8", "model.dictionary.outputs=4", "training.steps=10", "training.evalEvery=10")));
        models.put("edmd", Edmd.fit(glycolysis, Edmd.Options.of("hermite", 2, 0, 0, 1e-8, 1)));
        models.put("sp-node", SpNode.fit(growth, SpNode.Options.defaults().with("model.nonlinear.kind=none", "training.steps=10",
                "training.evalEvery=10", "training.batchSize=16")));
        int steps = 30;
        for (Map.Entry<String, KoopmanModel> m : models.entrySet()) {
            double[] x0 = (m.getKey().equals("sp-node") ? growth : glycolysis).get(0).states()[0];
            m.getValue().save(dir.resolve(m.getKey()));
            Files.writeString(dir.resolve(m.getKey() + ".x0"), LoadAndPredict.bits(x0));
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire puts the test classpath here (java.class.path may be a manifest-only jar pointing at it)
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", classpath, LoadAndPredict.class.getName(), dir.toString(),
                Integer.toString(steps)).redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the fresh JVM did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("jvm.log")));

        for (Map.Entry<String, KoopmanModel> m : models.entrySet()) {
            double[] x0 = LoadAndPredict.parse(Files.readString(dir.resolve(m.getKey() + ".x0")));
            String here = LoadAndPredict.bits(m.getValue().predict(x0, steps));
            assertEquals(here, Files.readString(dir.resolve(m.getKey() + ".forecast")), m.getKey() + ": forecasts differ");
            assertEquals(List.of(m.getKey()), List.of(Models.kind(dir.resolve(m.getKey()))));
        }
    }
}
