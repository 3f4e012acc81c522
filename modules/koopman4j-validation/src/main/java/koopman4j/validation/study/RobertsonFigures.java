package koopman4j.validation.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The figures of {@link RobertsonStudy}, drawn with JFreeChart into PNGs: Fig. 5 of seed 001 (each component against
 * log t from (1, 0, 0), the truth dotted, each model solid; one row per model), the relative error per component
 * against log t on the test trajectories, and the largest forecast size against the step size of the sweep.
 */
final class RobertsonFigures {

    private static final int PANEL_WIDTH = 440;
    private static final int PANEL_HEIGHT = 320;
    private static final Color[] COMPONENT = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};
    private static final Color[] RUN = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x9467bd)};
    private static final Font TITLE = new Font("SansSerif", Font.BOLD, 13);
    private static final Font SUBTITLE = new Font("SansSerif", Font.PLAIN, 11);

    private RobertsonFigures() {
    }

    /** Fig. 5: a row per model, a column per component, against log t; truth dotted (fine), model solid with a dot per data time. */
    static void fig5(RobertsonStudy.Truth truth, List<RobertsonStudy.Outcome> outcomes, Path png) throws IOException {
        int n = truth.names().size();
        JFreeChart[][] grid = new JFreeChart[outcomes.size()][n];
        for (int r = 0; r < outcomes.size(); r++) {
            RobertsonStudy.Outcome o = outcomes.get(r);
            for (int i = 0; i < n; i++) {
                XYSeriesCollection data = new XYSeriesCollection();
                XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
                XYSeries exact = new XYSeries(truth.names().get(i) + " true", false, true);
                for (int k = 0; k < truth.fineTimes().length; k++) {
                    exact.add(truth.fineTimes()[k], truth.fine()[k][i]);
                }
                data.addSeries(exact);
                renderer.setSeriesShapesVisible(0, false);
                renderer.setSeriesPaint(0, Color.BLACK);
                renderer.setSeriesStroke(0, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 4f}, 0f));
                XYSeries model = new XYSeries(truth.names().get(i) + " model", false, true);
                for (int k = 0; k < truth.times().length; k++) {
                    double v = o.reference()[k][i];
                    model.add(truth.times()[k], Double.isFinite(v) ? v : Double.NaN);
                }
                data.addSeries(model);
                renderer.setSeriesPaint(1, COMPONENT[i % COMPONENT.length]);
                renderer.setSeriesStroke(1, new BasicStroke(1.6f));
                renderer.setSeriesShape(1, new Ellipse2D.Double(-2, -2, 4, 4));
                NumberAxis value = new NumberAxis(truth.names().get(i));
                value.setAutoRangeIncludesZero(false);
                XYPlot plot = new XYPlot(data, logTime(truth.times()), value, renderer);
                style(plot);
                JFreeChart chart = new JFreeChart(o.variant().label() + ": " + truth.names().get(i), TITLE, plot, false);
                chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "from (1, 0, 0): dotted truth, solid model; L2 error %.3g%%",
                        o.referenceComponentPct()[i]), SUBTITLE));
                chart.setBackgroundPaint(Color.WHITE);
                grid[r][i] = chart;
            }
        }
        write(grid, png);
    }

    /**
     * The relative error |x̂_i − x_i| / |x_i| per component against log t on the test trajectories: the largest over them
     * (solid) and the median (dashed) per model, with the 5% line.
     */
    static void relativeError(RobertsonStudy.Truth truth, List<RobertsonStudy.Outcome> outcomes, Path png) throws IOException {
        int n = truth.names().size();
        JFreeChart[][] grid = new JFreeChart[1][n];
        for (int i = 0; i < n; i++) {
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            double lo = RobertsonStudy.TARGET_PCT;
            double hi = RobertsonStudy.TARGET_PCT;
            for (int r = 0; r < outcomes.size(); r++) {
                RobertsonStudy.Outcome o = outcomes.get(r);
                for (boolean worst : List.of(true, false)) {
                    XYSeries s = new XYSeries(o.variant().id() + (worst ? " max" : " median"), false, true);
                    double[][] byTime = worst ? o.pointwiseMaxByTime() : o.pointwiseMedianByTime();
                    for (int k = 0; k < truth.times().length; k++) {
                        double v = byTime[k][i];
                        if (v > 0 && Double.isFinite(v)) {
                            s.add(truth.times()[k], v);
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                    int idx = data.getSeriesCount();
                    data.addSeries(s);
                    renderer.setSeriesPaint(idx, RUN[r % RUN.length]);
                    renderer.setSeriesStroke(idx, worst ? new BasicStroke(1.8f)
                            : new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f));
                }
            }
            XYSeries target = new XYSeries("5%", false, true);
            target.add(truth.times()[0], RobertsonStudy.TARGET_PCT);
            target.add(truth.times()[truth.times().length - 1], RobertsonStudy.TARGET_PCT);
            int idx = data.getSeriesCount();
            data.addSeries(target);
            renderer.setSeriesPaint(idx, Color.GRAY);
            renderer.setSeriesStroke(idx, new BasicStroke(1f));
            LogAxis value = decades(new LogAxis("relative error of " + truth.names().get(i) + " (%)"));
            value.setRange(Math.max(lo / 2, 1e-6), hi * 2);
            value.setSmallestValue(1e-6);
            XYPlot plot = new XYPlot(data, logTime(truth.times()), value, renderer);
            style(plot);
            JFreeChart chart = new JFreeChart("relative error of " + truth.names().get(i) + " on the test trajectories", TITLE, plot, i == n - 1);
            chart.addSubtitle(new TextTitle("solid: largest over the test trajectories; dashed: median; grey: 5%", SUBTITLE));
            chart.setBackgroundPaint(Color.WHITE);
            grid[0][i] = chart;
        }
        write(grid, png);
    }

    /** The sweep: max_k |x̂_i| / max |x_i| against the constant step h, per model, with the blow-up line. */
    static void steps(List<RobertsonStudy.Outcome> outcomes, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        double lo = 1;
        double hi = RobertsonStudy.BLOW_UP;
        double hMin = Double.POSITIVE_INFINITY;
        double hMax = 0;
        for (int r = 0; r < outcomes.size(); r++) {
            XYSeries s = new XYSeries(outcomes.get(r).variant().id(), false, true);
            for (RobertsonStudy.SweepPoint p : outcomes.get(r).sweep()) {
                hMin = Math.min(hMin, p.step());
                hMax = Math.max(hMax, p.step());
                if (p.finite() && p.maxRatio() > 0) {
                    s.add(p.step(), p.maxRatio());
                    lo = Math.min(lo, p.maxRatio());
                    hi = Math.max(hi, p.maxRatio());
                }
            }
            data.addSeries(s);
            renderer.setSeriesPaint(r, RUN[r % RUN.length]);
            renderer.setSeriesShape(r, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        XYSeries limit = new XYSeries("blow-up", false, true);
        limit.add(hMin, RobertsonStudy.BLOW_UP);
        limit.add(hMax, RobertsonStudy.BLOW_UP);
        int idx = data.getSeriesCount();
        data.addSeries(limit);
        renderer.setSeriesPaint(idx, Color.GRAY);
        renderer.setSeriesShapesVisible(idx, false);
        LogAxis step = decades(new LogAxis("step size h"));
        step.setRange(hMin / 2, hMax * 2);
        LogAxis value = decades(new LogAxis("max |x̂_i| / max |x_i| over " + RobertsonStudy.SWEEP_STEPS + " steps"));
        value.setRange(lo / 2, hi * 2);
        XYPlot plot = new XYPlot(data, step, value, renderer);
        style(plot);
        JFreeChart chart = new JFreeChart(String.format(Locale.ROOT, "constant steps h from %.3g to %.3g", hMin, hMax), TITLE, plot, true);
        chart.addSubtitle(new TextTitle("every test trajectory and the unperturbed one; above the grey line = blow-up", SUBTITLE));
        chart.setBackgroundPaint(Color.WHITE);
        write(new JFreeChart[][] {{chart}}, 2 * PANEL_WIDTH, png);
    }

    private static ValueAxis logTime(double[] times) {
        LogAxis t = decades(new LogAxis("t"));
        t.setRange(times[0] / 1.5, times[times.length - 1] * 1.5);
        return t;
    }

    /** Ticks at whole powers of ten, labelled 10ⁿ. */
    private static LogAxis decades(LogAxis axis) {
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setMinorTickCount(0);
        return axis;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    private static void write(JFreeChart[][] grid, Path png) throws IOException {
        write(grid, PANEL_WIDTH, png);
    }

    private static void write(JFreeChart[][] grid, int panelWidth, Path png) throws IOException {
        int rows = grid.length;
        int cols = grid[0].length;
        BufferedImage image = new BufferedImage(cols * panelWidth, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                grid[r][c].draw(g, new Rectangle2D.Double(c * panelWidth, r * PANEL_HEIGHT, panelWidth, PANEL_HEIGHT));
            }
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (var stream = Files.newOutputStream(png)) {
            ChartUtils.writeBufferedImageAsPNG(stream, image);
        }
    }
}
