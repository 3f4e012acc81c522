package koopman4j.validation.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import koopman4j.charts.Figures;
import koopman4j.core.spectrum.Complex;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG figures of {@code compare}, drawn with JFreeChart (headless). */
final class Charts {

    /** At most this many states are drawn per panel (a 96-state POLS would be unreadable). */
    static final int MAX_STATES = 7;
    private static final int PANEL_WIDTH = 520;
    private static final int PANEL_HEIGHT = 360;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /**
     * Fig. 4 (and Fig. 5): one panel per (method, row, state group), E-DMD on the first line and D-DMD on the
     * second, lettered A, B, … as in the seed; each panel shows the rollout of one test trajectory from its
     * first sample (solid) and the truth (dashed), one colour per state. {@code groups} names the states of
     * each panel column of a row (Fig. 5: the angles, then the speeds); empty: the first {@value #MAX_STATES}.
     */
    static void multistep(String experiment, List<Comparison.Rollouts> rows, List<String> methods, List<List<String>> groups, Path png)
            throws IOException {
        int perRow = Math.max(1, groups.size());
        int columns = rows.size() * perRow;
        BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, methods.size() * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        char letter = 'A';
        for (int line = 0; line < methods.size(); line++) {
            for (int c = 0; c < columns; c++) {
                Comparison.Rollouts r = rows.get(c / perRow);
                double[][] predicted = r.predicted().get(methods.get(line));
                String title = String.format("%c) %s %s, %s", letter++, experiment, r.row(), label(methods.get(line)));
                int[] states = groups.isEmpty() ? firstStates(r.names().size())
                        : groups.get(c % perRow).stream().mapToInt(r.names()::indexOf).toArray();
                JFreeChart chart = predicted == null ? empty(title) : panel(title, r, predicted, states);
                chart.draw(g, new Rectangle2D.Double(c * PANEL_WIDTH, line * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT));
            }
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (var stream = Files.newOutputStream(png)) {
            ChartUtils.writeBufferedImageAsPNG(stream, image);
        }
    }

    private static String label(String method) {
        return Comparison.DDMD.equals(method) ? "D-DMD" : "E-DMD";
    }

    private static int[] firstStates(int n) {
        return IntStream.range(0, Math.min(MAX_STATES, n)).toArray();
    }

    private static JFreeChart panel(String title, Comparison.Rollouts r, double[][] predicted, int[] shown) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true); // one path per series: the dash pattern runs across the 500 short segments
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < shown.length; j++) {
            int i = shown[j];
            XYSeries truth = new XYSeries(r.names().get(i) + " truth", false, true);
            XYSeries model = new XYSeries(r.names().get(i), false, true);
            for (int k = 0; k < r.times().length; k++) {
                truth.add(r.times()[k], r.truth()[k][i]);
                double v = predicted[k][i];
                model.add(r.times()[k], Double.isFinite(v) ? v : Double.NaN);
                lo = Math.min(lo, r.truth()[k][i]);
                hi = Math.max(hi, r.truth()[k][i]);
            }
            int s = data.getSeriesCount();
            data.addSeries(model);
            data.addSeries(truth);
            Color colour = PALETTE[j % PALETTE.length];
            renderer.setSeriesPaint(s, colour);
            renderer.setSeriesStroke(s, new BasicStroke(1.6f));
            renderer.setSeriesPaint(s + 1, colour);
            renderer.setSeriesStroke(s + 1, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            renderer.setSeriesVisibleInLegend(s + 1, false);
        }
        NumberAxis time = new NumberAxis("t");
        boolean first = Arrays.equals(shown, firstStates(r.names().size()));
        NumberAxis value = new NumberAxis(!first ? "state" : shown.length < r.names().size()
                ? "first " + shown.length + " of " + r.names().size() + " states" : "state");
        // the truth's range with a margin: a diverging rollout leaves the panel instead of flattening the truth
        double pad = 0.25 * Math.max(hi - lo, 1e-12);
        value.setRange(lo - pad, hi + pad);
        XYPlot plot = new XYPlot(data, time, value, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.addSubtitle(new TextTitle("solid: model, dashed: truth", new Font("SansSerif", Font.PLAIN, 11)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static JFreeChart empty(String title) {
        XYPlot plot = new XYPlot(new XYSeriesCollection(), new NumberAxis("t"), new NumberAxis("state"), new XYLineAndShapeRenderer());
        plot.setNoDataMessage("not run");
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Test rollout error against horizon: one line per method (and row), log scale. */
    static void errorAgainstHorizon(String experiment, List<Comparison.MethodResult> results, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Comparison.MethodResult m : results) {
            XYSeries series = new XYSeries(m.row() + " " + m.method(), false, true);
            m.rolloutByHorizon().forEach((h, v) -> {
                if (Double.isFinite(v) && v > 0) {
                    series.add(h.doubleValue(), v.doubleValue());
                }
            });
            data.addSeries(series);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
            renderer.setSeriesStroke(s, new BasicStroke(1.6f));
        }
        LogAxis error = new LogAxis("test rollout error (%)");
        error.setSmallestValue(1e-4);
        error.setNumberFormatOverride(new DecimalFormat("0.###"));
        XYPlot plot = new XYPlot(data, new NumberAxis("horizon h (steps)"), error, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(experiment + ": error against horizon", new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 2 * PANEL_WIDTH, PANEL_HEIGHT + 80);
    }

    /** The Koopman eigenvalues in the complex plane with the unit circle (|λ| = 1: the stability boundary of ψ_k = K^k ψ₀). */
    static void eigenvalues(List<Complex> lambda, String title, Path png) throws IOException {
        Figures.discreteSpectrum(title, lambda).savePng(png);
    }
}
