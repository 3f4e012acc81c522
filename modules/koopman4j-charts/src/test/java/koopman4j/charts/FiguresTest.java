package koopman4j.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.model.DictionaryResponses;
import koopman4j.core.spectrum.Complex;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {

    private static final double[][] A_BUMP = {{-2, 10}, {0, -2}};

    @TempDir
    Path dir;

    @Test
    void normOfExponentialFollowsTheClosedFormOfABump() {
        // e^{tA} = e^{-2t}(I + tN), N = [[0, 10], [0, 0]]; ‖[[1, a], [0, 1]]‖₂ = (a + √(a² + 4)) / 2
        Map<String, double[][]> m = new LinkedHashMap<>();
        m.put("A_bump", A_BUMP);
        m.put("A_decay", new double[][] {{-2, 0}, {0, -2}});
        Figure f = Figures.normOfExponential("transient growth", m, 3);
        XYDataset data = ((XYPlot) f.chart().getPlot()).getDataset();
        double peak = 0;
        for (int j = 0; j < data.getItemCount(0); j++) {
            double t = data.getXValue(0, j);
            double a = 10 * t;
            double expected = Math.exp(-2 * t) * (a + Math.sqrt(a * a + 4)) / 2;
            assertEquals(expected, data.getYValue(0, j), 1e-12 * (1 + expected), "t = " + t);
            assertEquals(Math.exp(-2 * t), data.getYValue(1, j), 1e-13, "A_decay at t = " + t);
            peak = Math.max(peak, data.getYValue(0, j));
        }
        assertEquals(1.0, data.getYValue(0, 0), 1e-15);
        assertTrue(peak > 1.91 && peak < 1.917, "peak " + peak); // max 1.9161 at t ≈ 0.458
    }

    @Test
    void transientGrowthNormsAreSeed001Fig2InClosedForm() {
        // A = −2I + N with N nilpotent: e^{tA} = e^{−2t}[[1, ct], [0, 1]], ‖[[1, a], [0, 1]]‖₂ = (a + √(a² + 4)) / 2; c = 10 (bump), 1 (decay)
        XYDataset data = ((XYPlot) Figures.transientGrowthNorms().chart().getPlot()).getDataset();
        assertEquals("A_bump", data.getSeriesKey(0));
        assertEquals("A_decay", data.getSeriesKey(1));
        double previousDecay = Double.POSITIVE_INFINITY;
        for (int j = 0; j < data.getItemCount(0); j++) {
            double t = data.getXValue(0, j);
            for (int s = 0; s < 2; s++) {
                double a = (s == 0 ? 10 : 1) * t;
                double expected = Math.exp(-2 * t) * (a + Math.sqrt(a * a + 4)) / 2;
                assertEquals(expected, data.getYValue(s, j), 1e-12 * (1 + expected), data.getSeriesKey(s) + " at t = " + t);
            }
            assertTrue(data.getYValue(1, j) < previousDecay, "A_decay decays for all t > 0 (γ < 0)");
            previousDecay = data.getYValue(1, j);
        }
        assertEquals(3, data.getXValue(0, data.getItemCount(0) - 1), 1e-15);
    }

    @Test
    void dictionaryResponsesDrawEachObservablesMostResponsiveFunctionsAndSave() throws Exception {
        // ψ = [x, y, x², sin y, 0.001x]: along x the responsive functions are x² then 0.001x, along y sin y
        DictionaryResponses r = DictionaryResponses.sweep(List.of("x", "y"), new double[] {1, 0}, new double[] {2, 3}, 21,
                states -> java.util.Arrays.stream(states).map(s -> new double[] {s[0], s[1], s[0] * s[0], Math.sin(s[1]), 1e-3 * s[0]})
                        .toArray(double[][]::new));
        Figure f = Figures.dictionaryResponses("Deep DMD dictionary", r);
        List<XYPlot> panels = ((CombinedDomainXYPlot) f.chart().getPlot()).getSubplots();
        assertEquals(2, panels.size());
        XYDataset alongX = panels.get(0).getDataset();
        assertEquals(3, alongX.getSeriesCount()); // every learned function, at most FUNCTIONS_PER_PANEL
        assertEquals("ψ3", alongX.getSeriesKey(0)); // x², spread 8 over x ∈ [−1, 3]
        assertEquals("ψ5", alongX.getSeriesKey(1));
        for (int p = 0; p < 21; p++) {
            double u = alongX.getXValue(0, p); // δ / h
            double x = 1 + 2 * u;
            assertEquals(-1 + 0.1 * p, u, 1e-12);
            assertEquals(x * x, alongX.getYValue(0, p), 1e-12);
        }
        assertEquals("ψ4", panels.get(1).getDataset().getSeriesKey(0));
        assertEquals(Math.sin(3), panels.get(1).getDataset().getYValue(0, 20), 1e-12);
        assertEquals("x (h = 2.00)", panels.get(0).getRangeAxis().getLabel());
        BufferedImage png = ImageIO.read(f.savePng(dir.resolve("fig3/dictionary-responses.png")).toFile());
        assertEquals(f.width(), png.getWidth());
        assertTrue(hasInk(png));
        String svg = Files.readString(f.saveSvg(dir.resolve("fig3/dictionary-responses.svg")));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains("Deep DMD dictionary"), svg.substring(0, 200));
    }

    @Test
    void spectraHoldEveryEigenvalueAndTheirBoundary() {
        double[][] rotation = {{0.9 * Math.cos(0.3), -0.9 * Math.sin(0.3)}, {0.9 * Math.sin(0.3), 0.9 * Math.cos(0.3)}};
        List<Complex> lambda = Figures.eigenvalues(rotation);
        lambda.sort(Comparator.comparingDouble(Complex::im));
        assertEquals(0.9 * Math.cos(0.3), lambda.get(0).re(), 1e-14);
        assertEquals(-0.9 * Math.sin(0.3), lambda.get(0).im(), 1e-14);
        Figure discrete = Figures.discreteSpectrum("K", rotation);
        XYDataset d = ((XYPlot) discrete.chart().getPlot()).getDataset();
        assertEquals(361, d.getItemCount(0)); // the unit circle
        assertEquals(2, d.getItemCount(1));
        Figure continuous = Figures.continuousSpectrum("A_L", A_BUMP, -1); // a defective matrix: eigenvalue −2 twice
        XYDataset c = ((XYPlot) continuous.chart().getPlot()).getDataset();
        assertEquals(-1, c.getXValue(0, 0));
        assertEquals(-2, c.getXValue(1, 0), 1e-6);
        assertEquals("the matrix must be square, got a row of 1 in 2 rows",
                assertThrows(InvalidDataException.class, () -> Figures.discreteSpectrum("K", new double[][] {{1, 2}, {3}})).getMessage());
    }

    @Test
    void forecastAndTrainingCurveRenderAndSaveAsPngAndSvg() throws Exception {
        Trajectory truth = new Trajectory(new double[] {0, 1, 2}, new double[][] {{1, 2}, {2, 3}, {3, 4}});
        Trajectory forecast = new Trajectory(new double[] {0, 0.5, 1, 1.5, 2}, new double[][] {{1, 2}, {1.5, 2.5}, {2, 3}, {2.5, 3.5}, {9, 4}});
        Figure f = Figures.forecast("forecast", List.of("a", "b"), truth, forecast);
        BufferedImage image = f.image(300, 200);
        assertEquals(300, image.getWidth());
        assertTrue(hasInk(image));
        Path png = f.savePng(dir.resolve("sub/forecast.png"));
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(f.width(), read.getWidth());
        assertEquals(f.height(), read.getHeight());
        String svg = Files.readString(f.saveSvg(dir.resolve("forecast.svg")));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains(">forecast<"), svg.substring(0, 200));
        assertEquals("forecast: 3 names for trajectories of 2 and 2 states",
                assertThrows(InvalidDataException.class, () -> Figures.forecast("x", List.of("a", "b", "c"), truth, forecast)).getMessage());

        assertEquals("no chart", assertThrows(InvalidDataException.class, () -> new Figure(null, 10, 10)).getMessage());
        assertEquals("figure size must be positive, got 0 x 5",
                assertThrows(InvalidDataException.class, () -> new Figure(f.chart(), 0, 5)).getMessage());

        Figure curve = Figures.trainingCurve("training", new int[] {10, 20}, new double[] {0.5, 0.1}, new double[] {3, 2}, "score");
        assertTrue(hasInk(curve.image()));
        assertEquals("trainingCurve: 2 steps, 1 losses and 2 scores", assertThrows(InvalidDataException.class,
                () -> Figures.trainingCurve("t", new int[] {1, 2}, new double[] {1}, new double[] {1, 2}, "s")).getMessage());
        assertEquals("normOfExponential: tMax must be a finite number > 0, got 0.0", assertThrows(InvalidDataException.class,
                () -> Figures.normOfExponential("t", Map.of("A", A_BUMP), 0)).getMessage());
    }

    private static boolean hasInk(BufferedImage image) {
        for (int x = 0; x < image.getWidth(); x += 3) {
            for (int y = 0; y < image.getHeight(); y += 3) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    return true;
                }
            }
        }
        return false;
    }
}
