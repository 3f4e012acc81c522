package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.core.spectrum.Complex;
import koopman4j.core.spectrum.KoopmanEigen;
import koopman4j.systems.PartiallyObservedLinearSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdmdTest {

    @Test
    void aDictionaryContainingTheInvariantSubspaceForecastsExactly() {
        // {1, x, y, x², xy, y²} contains the invariant span{x, y, x²} of x₊ = λx, y₊ = μy + (λ² − μ)x²
        TrajectorySet train = LeastSquaresTest.closedFormSystem(10, 20, 1);
        TrajectorySet test = LeastSquaresTest.closedFormSystem(5, 30, 2);
        Edmd model = Edmd.fit(train, Edmd.Options.of("monomial", 2, 0, 0, 0, 0));
        assertEquals(6, model.dictionary().size());
        assertEquals(0, ErrorMetrics.oneStepErrorPct(model, test), 1e-9);
        assertEquals(0, ErrorMetrics.rolloutErrorPct(model, test, 30), 1e-8);
    }

    @Test
    void trigDictionaryForecastsAUniformRotationExactly() {
        // θ₊ = θ + c: span{1, θ, sin θ, cos θ} is invariant (sin(θ + c) = sin θ cos c + cos θ sin c), a polynomial span is not
        double c = 0.3;
        List<Trajectory> rotations = new ArrayList<>();
        for (int j = 0; j < 6; j++) {
            double[] t = new double[21];
            double[][] x = new double[21][1];
            for (int k = 0; k <= 20; k++) {
                t[k] = k;
                x[k][0] = -2 + 0.7 * j + c * k;
            }
            rotations.add(new Trajectory(t, x));
        }
        TrajectorySet train = new TrajectorySet(List.of("theta"), rotations);
        Edmd trig = Edmd.fit(train, Edmd.Options.of("trig", 1, 0, List.of(1), 0, 0, 0));
        assertEquals(4, trig.dictionary().size());
        double[][] k = trig.koopman();
        double theta = 0.1;
        double[] psi = {1, theta, Math.sin(theta), Math.cos(theta)};
        for (int step = 1; step <= 100; step++) {
            double[] next = new double[4];
            for (int i = 0; i < 4; i++) {
                for (int l = 0; l < 4; l++) {
                    next[i] += k[i][l] * psi[l];
                }
            }
            psi = next;
        }
        assertEquals(Math.sin(theta + 100 * c), psi[2], 1e-8);
        assertEquals(Math.cos(theta + 100 * c), psi[3], 1e-8);
        assertEquals(theta + 100 * c, trig.rollout(new double[][] {{theta}}, 100)[0][99][0], 1e-8);
    }

    @Test
    void koopmanEigenfunctionsOfTheFittedModelAreXAndYMinusXSquared() {
        // φ_j(x) = w_jᵀψ(x): the left eigenvectors of K combine dictionary functions into x (λ) and y − x² (μ)
        Edmd model = Edmd.fit(LeastSquaresTest.closedFormSystem(10, 20, 1), Edmd.Options.of("monomial", 2, 0, 0, 0, 0));
        KoopmanEigen eigen = KoopmanEigen.of(model.koopman());
        double[][] points = {{0.3, -0.2}, {-0.8, 0.5}, {0.1, 0.9}};
        double[][] psi = model.dictionary().lift(points);
        int checked = 0;
        for (int j = 0; j < eigen.size(); j++) {
            Complex lambda = eigen.eigenvalue(j);
            double[] expected = Math.abs(lambda.re() - LeastSquaresTest.LAMBDA) < 1e-9 ? new double[] {0.3, -0.8, 0.1}
                    : Math.abs(lambda.re() - LeastSquaresTest.MU) < 1e-9 ? new double[] {-0.2 - 0.09, 0.5 - 0.64, 0.9 - 0.01}
                    : null;
            if (expected == null) {
                continue;
            }
            assertEquals(0, lambda.im(), 1e-12);
            double ratio = eigen.eigenfunctions(psi[0])[j].re() / expected[0];
            for (int p = 0; p < points.length; p++) {
                assertEquals(ratio * expected[p], eigen.eigenfunctions(psi[p])[j].re(), 1e-9);
            }
            checked++;
        }
        assertEquals(2, checked, "eigenvalues λ and μ found");
    }

    @Test
    void linearDictionaryIsExactOnAFullyObservedLinearSystem() {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(4, 0, 11));
        TrajectorySet data = system.simulate(6, 30, 1);
        Edmd model = Edmd.fit(data, Edmd.Options.of("legendre", 1, 0, 0, 0, 0));
        double[][] k = model.koopman(); // ψ = [1, x]: K = [[1, 0], [0, A]]
        double[][] a = system.matrix();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(a[i][j], k[1 + i][1 + j], 1e-10);
            }
            assertEquals(0, k[1 + i][0], 1e-10);
        }
        assertEquals(0, ErrorMetrics.rolloutErrorPct(model, data, 30), 1e-8);
    }

    @Test
    void polynomialFamiliesOfOneDegreeSpanTheSameSpaceSoLeastSquaresAgrees() {
        TrajectorySet train = LeastSquaresTest.closedFormSystem(20, 20, 3);
        double[][] x = LeastSquaresTest.closedFormSystem(3, 10, 4).pairSources();
        double[][] legendre = Edmd.fit(train, Edmd.Options.of("legendre", 3, 0, 0, 0, 0)).step(x);
        for (String family : List.of("hermite", "monomial")) {
            double[][] other = Edmd.fit(train, Edmd.Options.of(family, 3, 0, 0, 0, 0)).step(x);
            for (int r = 0; r < x.length; r++) {
                assertArrayEquals(legendre[r], other[r], 1e-9, family);
            }
        }
    }

    @Test
    void groupLassoModelIsFittedByFistaToTheKktTolerance() {
        TrajectorySet train = LeastSquaresTest.closedFormSystem(10, 20, 1);
        Edmd model = Edmd.fit(train, Edmd.Options.of("legendre", 3, 0, 1e-3, 0, 0));
        assertEquals("fista", model.training().solver());
        assertTrue(model.training().iterations() > 0);
        assertTrue(ErrorMetrics.oneStepErrorPct(model, train) < 1, "a small λ barely changes the fit");
    }

    @Test
    void negativeLambdaIsRefused() {
        var e = assertThrows(InvalidDataException.class, () -> Edmd.Options.of("legendre", 2, 0, -1, 0, 0));
        assertEquals("lambda must be ≥ 0, got -1", e.getMessage());
    }

    @Test
    void unknownDictionaryIsRefused() {
        var e = assertThrows(InvalidDataException.class, () -> Edmd.Options.of("fourier", 2, 0, 0, 0, 0));
        assertEquals("unknown dictionary 'fourier'; expected legendre, hermite, monomial, rbf or trig", e.getMessage());
    }

    @Test
    void degreeBelowOneIsRefused() {
        var e = assertThrows(InvalidDataException.class, () -> Edmd.Options.of("hermite", 0, 0, 0, 0, 0));
        assertEquals("degree must be ≥ 1, got 0", e.getMessage());
    }

    @Test
    void aDictionaryThatCannotFitInTheHeapIsRefusedBeforeAllocating() {
        double[][] x = new double[2][128];
        x[1][0] = 1;
        TrajectorySet wide = new TrajectorySet(
                java.util.stream.IntStream.rangeClosed(1, 128).mapToObj(i -> "x" + i).toList(),
                List.of(new Trajectory(new double[] {0, 1}, x)));
        var e = assertThrows(InvalidDataException.class, () -> Edmd.fit(wide, Edmd.Options.of("monomial", 4, 0, 0, 0, 0)));
        assertTrue(e.getMessage().matches("E-DMD: monomial degree 4 on 128 states needs [0-9,]+\\.[0-9] GiB for the "
                + "12,082,785-function dictionary; this JVM has [0-9.]+ GiB, [0-9.]+ GiB of it free — lower --degree"), e.getMessage());
    }

    @Test
    void savedModelReloadsAndPredictsIdentically(@TempDir Path dir) {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(8, 0.25, 3));
        TrajectorySet train = system.simulate(8, 40, 1);
        TrajectorySet test = system.simulate(3, 40, 2);
        double[][] x0 = test.pairSources();
        for (Edmd.Options options : List.of(Edmd.Options.of("hermite", 2, 0, 0.5, 1e-6, 0), Edmd.Options.of("rbf", 0, 12, 0, 0, 7),
                Edmd.Options.of("trig", 2, 0, List.of(1, 3), 0, 1e-8, 0))) {
            Edmd model = Edmd.fit(train, options);
            Path where = dir.resolve(options.dictionary().id());
            model.save(where);
            assertTrue(Files.isRegularFile(where.resolve("model.json")));
            Edmd loaded = Edmd.load(where);
            assertEquals(model.options(), loaded.options());
            assertEquals(model.stateNames(), loaded.stateNames());
            assertEquals(model.training(), loaded.training());
            assertArrayEquals(model.koopman(), loaded.koopman());
            assertArrayEquals(model.step(x0), loaded.step(x0));
            assertArrayEquals(model.rollout(x0, 25), loaded.rollout(x0, 25));
        }
    }

    @Test
    void saveReplacesTheDirectoryWholeAndClearsWhatAKilledSaveLeft(@TempDir Path dir) throws Exception {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(4, 0.25, 3));
        Edmd first = Edmd.fit(system.simulate(4, 30, 1), Edmd.Options.of("legendre", 2, 0, 0, 0, 0));
        Edmd second = Edmd.fit(system.simulate(4, 30, 2), Edmd.Options.of("legendre", 1, 0, 0, 0, 0));
        Path where = dir.resolve("model");
        first.save(where);
        Files.writeString(where.resolve("stale.txt"), "from an older save");
        // what a save killed while writing leaves: its staging directory beside the model, half filled
        Path staging = dir.resolve(".model.tmp");
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("model.json"), "{\"kind\": \"ed");
        second.save(where);
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(where), entries.toList(), "no staging or replaced directory is left beside the model");
        }
        try (var entries = Files.list(where)) {
            assertEquals(List.of(where.resolve("model.json")), entries.toList(), "the directory is replaced whole");
        }
        assertArrayEquals(second.koopman(), Edmd.load(where).koopman());
        // a kill between the two renames (the old model moved aside, the new not yet in place) is put right by the next save
        Files.move(where, dir.resolve(".model.old"));
        first.save(where);
        assertArrayEquals(first.koopman(), Edmd.load(where).koopman());
        assertTrue(Files.notExists(dir.resolve(".model.old")));
    }

    @Test
    void loadRefusesAnotherKindOfModel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model.json"), "{\"kind\":\"ddmd\",\"version\":1}");
        var e = assertThrows(InvalidDataException.class, () -> Edmd.load(dir));
        assertEquals(dir.resolve("model.json") + ": kind is 'ddmd', expected 'edmd'", e.getMessage());
    }

    @Test
    void loadNamesTheFieldAtFault(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model.json"), "{\"kind\":\"edmd\",\"version\":1,\"options\":{\"dictionary\":\"legendre\","
                + "\"degree\":2,\"centres\":0,\"lambda\":-2,\"tikhonov\":0,\"seed\":0}}");
        var e = assertThrows(InvalidDataException.class, () -> Edmd.load(dir));
        assertEquals(dir.resolve("model.json") + ": lambda must be ≥ 0, got -2", e.getMessage());
    }
}
