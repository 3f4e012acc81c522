package koopman4j.validation.study;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One PNG per ε in the layout of seed 001 Figs. 3–4, drawn with JFreeChart (headless) as {@code compare}'s
 * figures are: one panel per integrator (ETD1 left, IMEX right), the true x1 and x2 as blue and orange
 * curves, the model's forecast every Δt as black dots (x1 round, x2 square).
 */
final class StudyFigure {

    private static final int PANEL_WIDTH = 560;
    private static final int PANEL_HEIGHT = 400;
    private static final Color[] TRUTH = {new Color(0x1f77b4), new Color(0xff7f0e)};
    private static final Shape[] DOTS = {new Ellipse2D.Double(-3.5, -3.5, 7, 7), new Rectangle2D.Double(-3, -3, 6, 6)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private StudyFigure() {
    }

    static void write(TransientGrowthStudy.Figure f, Path png) throws IOException {
        int panels = f.predicted().size();
        BufferedImage image = new BufferedImage(panels * PANEL_WIDTH, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int p = 0; p < panels; p++) {
            panel(f, p).draw(g, new Rectangle2D.Double(p * PANEL_WIDTH, 0, PANEL_WIDTH, PANEL_HEIGHT));
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (var stream = Files.newOutputStream(png)) {
            ChartUtils.writeBufferedImageAsPNG(stream, image);
        }
    }

    private static JFreeChart panel(TransientGrowthStudy.Figure f, int p) {
        TransientGrowthStudy.Outcome o = f.outcomes().get(p);
        double[][] predicted = f.predicted().get(p);
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < TRUTH.length; i++) {
            XYSeries truth = new XYSeries("x" + (i + 1) + " true", false, true);
            for (int k = 0; k < f.truthTimes().length; k++) {
                truth.add(f.truthTimes()[k], f.truth()[k][i]);
                lo = Math.min(lo, f.truth()[k][i]);
                hi = Math.max(hi, f.truth()[k][i]);
            }
            int s = data.getSeriesCount();
            data.addSeries(truth);
            renderer.setSeriesLinesVisible(s, true);
            renderer.setSeriesShapesVisible(s, false);
            renderer.setSeriesPaint(s, TRUTH[i]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
        }
        double truthLo = lo;
        double truthHi = hi;
        double span = Math.max(truthHi - truthLo, 1e-12);
        for (int i = 0; i < TRUTH.length; i++) {
            XYSeries model = new XYSeries("x" + (i + 1) + " model", false, true);
            for (int k = 0; k < f.modelTimes().length; k++) {
                double v = predicted[k][i];
                model.add(f.modelTimes()[k], Double.isFinite(v) ? v : Double.NaN);
                if (Double.isFinite(v)) { // widen for the dots, but a diverging forecast must not flatten the truth
                    lo = Math.min(lo, Math.max(v, truthLo - span));
                    hi = Math.max(hi, Math.min(v, truthHi + span));
                }
            }
            int s = data.getSeriesCount();
            data.addSeries(model);
            renderer.setSeriesLinesVisible(s, false);
            renderer.setSeriesShapesVisible(s, true);
            renderer.setSeriesShape(s, DOTS[i]);
            renderer.setSeriesPaint(s, Color.BLACK);
        }
        NumberAxis time = new NumberAxis("t");
        NumberAxis value = new NumberAxis("x");
        double pad = 0.08 * Math.max(hi - lo, 1e-12);
        value.setRange(lo - pad, hi + pad);
        time.setRange(0, f.truthTimes()[f.truthTimes().length - 1] * 1.02);
        XYPlot plot = new XYPlot(data, time, value, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        String title = String.format(Locale.ROOT, "%s, %s (%s g)", f.study().row().replace("=", " = "),
                StudyReport.label(o.integrator()), o.nonlinear());
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
        double dt = f.modelTimes()[0];
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT, "curves: truth; dots: model, Δt = %.3g; test rollout error %.3g%%",
                dt, o.testRolloutPct()), new Font("SansSerif", Font.PLAIN, 11)));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
