package koopman4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NormalisationTest {

    @Test
    void applyGivesZeroMeanUnitDeviationOnTheFittedData() {
        // state 0: 1, 2, 3, 4 → mean 2.5, population sd √1.25
        TrajectorySet data = new TrajectorySet(List.of("x", "c"), List.of(
                new Trajectory(new double[] {0, 1}, new double[][] {{1, 7}, {2, 7}}),
                new Trajectory(new double[] {0, 1}, new double[][] {{3, 7}, {4, 7}})));
        Normalisation norm = Normalisation.fit(data);
        assertArrayEquals(new double[] {2.5, 7}, norm.mean(), 1e-15);
        assertArrayEquals(new double[] {Math.sqrt(1.25), 1}, norm.scale(), 1e-15); // a constant state keeps scale 1
        double[][] z = norm.apply(new double[][] {{1, 7}, {4, 7}});
        assertArrayEquals(new double[] {-1.5 / Math.sqrt(1.25), 0}, z[0], 1e-15);
        assertArrayEquals(new double[] {1.5 / Math.sqrt(1.25), 0}, z[1], 1e-15);
    }

    @Test
    void invertUndoesApply() {
        Random rng = new Random(5);
        Normalisation norm = new Normalisation(new double[] {3, -1e4, 0}, new double[] {0.5, 2e3, 1e-6});
        double[][] x = new double[20][3];
        for (double[] row : x) {
            row[0] = 3 + rng.nextGaussian();
            row[1] = -1e4 + 2e3 * rng.nextGaussian();
            row[2] = 1e-6 * rng.nextGaussian();
        }
        double[][] back = norm.invert(norm.apply(x));
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(x[r][i], back[r][i], 1e-12 * Math.max(1, Math.abs(x[r][i])));
            }
        }
    }

    @Test
    void identityChangesNothing() {
        double[][] x = {{1.5, -2}, {0, 1e300}};
        assertArrayEquals(x, Normalisation.identity(2).apply(x));
        assertArrayEquals(x, Normalisation.identity(2).invert(x));
    }

    @Test
    void rejectsNonPositiveOrInfiniteScale() {
        for (double s : new double[] {0, -1, Double.POSITIVE_INFINITY, Double.NaN}) {
            assertThrows(InvalidDataException.class, () -> new Normalisation(new double[] {0}, new double[] {s}));
        }
    }

    @Test
    void rejectsMeanAndScaleOfDifferentLengths() {
        assertEquals("normalisation has 2 means but 1 scales",
                assertThrows(InvalidDataException.class, () -> new Normalisation(new double[2], new double[] {1})).getMessage());
    }
}
