package koopman4j.validation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.trainer.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compare config is checked field by field before any work, each fault named by its place. */
class CompareConfigTest {

    private static final Path CONFIGS = Path.of("../../examples/configs");

    @TempDir
    Path dir;

    private Comparison.Plan plan(String yaml) throws IOException {
        Files.copy(CONFIGS.resolve("glycolysis-ddmd.yaml"), dir.resolve("g.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path c = dir.resolve("c.yaml");
        Files.writeString(c, yaml);
        return Comparison.validate(ConfigLoader.load(c, CompareConfig.class), c);
    }

    private static String row(String edmd) {
        return "experiments:\n  - name: glycolysis\n    edmd: " + edmd + "\n    rows:\n      - { name: \"3\", train: g.yaml, set: [\"data.observe=[1,2,3]\"] }\n";
    }

    private static final String SWEEP = "{ dictionaries: [legendre], degrees: [2], lambdaFractions: [0] }";

    @Test
    void shippedConfigsPassTheChecks() {
        for (String name : new String[] {"table1.yaml", "table1-smoke.yaml"}) {
            Path c = CONFIGS.resolve(name);
            Comparison.Plan p = Comparison.validate(ConfigLoader.load(c, CompareConfig.class), c);
            assertTrue(p.rows().size() >= 3, name);
        }
        Path ieee39 = CONFIGS.resolve("ieee39.yaml");
        Comparison.Plan p = Comparison.validate(ConfigLoader.load(ieee39, CompareConfig.class), ieee39);
        assertEquals(19, p.rows().get(0).stateDimension());
    }

    @Test
    void planResolvesStateDimensionFromObserveAndPols() throws IOException {
        Comparison.Plan p = plan(row(SWEEP));
        assertEquals(3, p.rows().get(0).stateDimension());
        assertEquals(100, p.config().rolloutHorizon());
    }

    @Test
    void rejectsUnknownKey() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> plan(row(SWEEP) + "colour: red\n"));
        assertTrue(e.getMessage().contains("unknown key 'colour'"), e.getMessage());
    }

    @Test
    void rejectsMissingTrainConfig() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> plan(row(SWEEP).replace("train: g.yaml", "train: none.yaml")));
        assertTrue(e.getMessage().contains("experiments[glycolysis].rows[3].train: no such train config"), e.getMessage());
    }

    @Test
    void rejectsBadOverrideOfTheTrainConfig() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> plan(row(SWEEP).replace("data.observe=[1,2,3]", "data.colour=1")));
        assertTrue(e.getMessage().contains("rows[3]: --set: unknown key 'data.colour'"), e.getMessage());
    }

    @Test
    void trigSweepNeedsAnglesThatAreStatesOfTheRow() throws IOException {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> plan(row("{ dictionaries: [legendre, trig], degrees: [1], lambdaFractions: [0] }")));
        assertTrue(e.getMessage().endsWith("the trig dictionary needs the angle states (angles: 1-based state numbers)"), e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> plan(row("{ dictionaries: [trig], degrees: [1], angles: [1, 4], lambdaFractions: [0] }")));
        assertTrue(e.getMessage().endsWith("angles: state 4 does not exist; the states are numbered 1 … 3"), e.getMessage());
        assertEquals(List.of(1, 3), plan(row("{ dictionaries: [trig], degrees: [1], angles: [1, 3], lambdaFractions: [0] }"))
                .rows().get(0).grid().angles());
    }

    @Test
    void rejectsUnknownDictionaryNegativeLambdaAndTooLargeDictionary() {
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> plan(row("{ dictionaries: [fourier], degrees: [2], lambdaFractions: [0] }")));
        assertTrue(e.getMessage().endsWith("unknown dictionary 'fourier'; expected legendre, hermite, monomial, rbf or trig"), e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> plan(row("{ dictionaries: [legendre], degrees: [2], lambdaFractions: [-0.1] }")));
        assertTrue(e.getMessage().contains("λ fractions must be in [0, 1], got -0.1"), e.getMessage());
        e = assertThrows(InvalidDataException.class, () -> plan(row("{ dictionaries: [monomial], degrees: [60], lambdaFractions: [0] }")));
        assertTrue(e.getMessage().contains("E-DMD: monomial degree 60 on 3 states") && e.getMessage().contains("lower --degree"), e.getMessage());
    }

    @Test
    void rejectsUnknownMethodAndDuplicateRow() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> plan("methods: [sindy]\n" + row(SWEEP)));
        assertTrue(e.getMessage().contains("unknown method 'sindy'"), e.getMessage());
        String twice = row(SWEEP) + "      - { name: \"3\", train: g.yaml }\n";
        e = assertThrows(InvalidDataException.class, () -> plan(twice));
        assertTrue(e.getMessage().contains("rows[3]: the row name is used twice"), e.getMessage());
    }

    @Test
    void rejectsBadPolsSize() {
        String pols = "experiments:\n  - name: pols\n    edmd: " + SWEEP
                + "\n    rows:\n      - { name: \"4\", train: g.yaml, pols: { nodes: 4, latentFraction: 1.0, trajectories: 10, steps: 5, seed: 1 } }\n";
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> plan(pols));
        assertTrue(e.getMessage().contains("rows[4].pols: POLS: latentFraction must be in [0, 1), got 1.0"), e.getMessage());
    }
}
