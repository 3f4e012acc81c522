package koopman4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.Evaluation;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import koopman4j.edmd.Edmd;
import koopman4j.layers.DeepKoopman;
import koopman4j.systems.Glycolysis;
import koopman4j.systems.Simulator;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Java API" example, compiled and run: the lines between the markers below must be the
 * README's java block, character for character, so the README cannot drift from code that works.
 */
class ReadmeExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/koopman4j/api/ReadmeExampleTest.java");
    private static final Path README = Path.of("../../README.md");

    @Test
    void theReadmeExampleRuns() throws Exception {
        // README begin
        TrajectorySet data = new Simulator(new Glycolysis()).simulate(12, Simulator.uniformTimes(100, 0.01), 1);
        DeepKoopman model = DeepDmd.fit(data, DeepDmd.Options.defaults().with("training.steps=200", "training.evalEvery=100"));
        Trajectory forecast = model.predict(data.get(0).states()[0], 100); // x0 and 100 steps of K^k ψ(x0)
        Evaluation errors = model.evaluate(data, 1, 10, 100);              // one-step and rollout errors, in %
        StabilityCertificate certificate = model.stability();               // ρ(K) and γ(K) (Byers, Algorithm 2)
        Path dir = Files.createTempDirectory("deep-dmd");
        model.save(dir);
        KoopmanModel same = Models.load(dir);                              // any kind: deep-dmd, edmd, sp-node
        Edmd edmd = Edmd.fit(data, Edmd.Options.of("legendre", 2, 0, 0, 0, 1));
        System.out.println(errors.rolloutErrorPct(100) + "% vs E-DMD " + edmd.evaluate(data, 100).rolloutErrorPct(100) + "%; "
                + certificate + "; reloaded forecast equal: " + same.predict(data.get(0).states()[0], 100).equals(forecast));
        // README end
        assertEquals(101, forecast.length());
        assertTrue(same.predict(data.get(0).states()[0], 100).equals(forecast));
    }

    @Test
    void theReadmeShowsExactlyTheExampleThatRuns() throws Exception {
        List<String> source = Files.readAllLines(SOURCE);
        int begin = source.indexOf("        // README begin");
        int end = source.indexOf("        // README end");
        String expected = String.join("\n", source.subList(begin + 1, end).stream().map(l -> l.substring(Math.min(8, l.length()))).toList());
        String readme = Files.readString(README);
        int start = readme.indexOf("```java\n", readme.indexOf("## Java API"));
        assertTrue(start > 0, "README.md has no java block under \"## Java API\"");
        String block = readme.substring(start + "```java\n".length(), readme.indexOf("```", start + 7)).stripTrailing();
        assertEquals(expected, block, "README.md's Java API example differs from " + SOURCE);
    }
}
