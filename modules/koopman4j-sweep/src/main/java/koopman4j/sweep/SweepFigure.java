package koopman4j.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The sweep's figure, drawn with JFreeChart (headless) as {@code compare}'s are: one panel per swept field
 * (the seed when only seeds were swept), the validation metric of every finished run against the field's
 * value, the chosen run as a red diamond. A field of numbers gets a number axis (logarithmic when drawn
 * log-uniformly or spanning two decades), any other field one tick per value.
 */
final class SweepFigure {

    private static final int PANEL_WIDTH = 480;
    private static final int PANEL_HEIGHT = 360;
    private static final int COLUMNS = 3;
    private static final Color RUN = new Color(0x1f77b4);
    private static final Color CHOSEN = new Color(0xd62728);

    private SweepFigure() {
    }

    static void write(Path png, SweepResults results, SweepResults.Row chosen) throws IOException {
        SweepPlan plan = results.plan();
        List<String> fields = plan.fields().isEmpty() ? List.of(SweepPlan.SEED_FIELD) : plan.fields();
        int columns = Math.min(COLUMNS, fields.size());
        int rows = (fields.size() + columns - 1) / columns;
        BufferedImage image = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < fields.size(); i++) {
            JFreeChart chart = panel(results, i, fields.get(i), chosen);
            chart.draw(g, new Rectangle2D.Double((i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT));
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (var stream = Files.newOutputStream(png)) {
            ChartUtils.writeBufferedImageAsPNG(stream, image);
        }
    }

    private static JFreeChart panel(SweepResults results, int index, String field, SweepResults.Row chosen) {
        SweepPlan plan = results.plan();
        boolean seedOnly = plan.fields().isEmpty();
        List<SweepResults.Row> scored = results.runs().stream().filter(SweepResults.Row::ranked).toList();
        List<JsonNode> values = new ArrayList<>();
        for (SweepResults.Row r : scored) {
            values.add(seedOnly ? LongNode.valueOf(r.run().seed()) : r.run().values().get(index));
        }
        boolean numeric = values.stream().allMatch(JsonNode::isNumber);
        List<String> categories = new ArrayList<>();
        if (!numeric) {
            plan.runs().forEach(r -> {
                String v = SweepPlan.display(r.values().get(index));
                if (!categories.contains(v)) {
                    categories.add(v);
                }
            });
        }
        XYSeries runs = new XYSeries("runs", false, true);
        XYSeries best = new XYSeries("chosen", false, true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scored.size(); i++) {
            double x = numeric ? values.get(i).asDouble() : categories.indexOf(SweepPlan.display(values.get(i)));
            SweepResults.Row r = scored.get(i);
            (r.run().id().equals(chosen.run().id()) ? best : runs).add(x, r.score());
            lo = Math.min(lo, r.score());
            hi = Math.max(hi, r.score());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(runs);
        data.addSeries(best);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, RUN);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        renderer.setSeriesPaint(1, CHOSEN);
        renderer.setSeriesShape(1, diamond(7));
        ValueAxis x;
        if (!numeric) {
            x = new SymbolAxis(field, categories.toArray(new String[0]));
        } else {
            double xMin = values.stream().mapToDouble(JsonNode::asDouble).min().orElse(1);
            double xMax = values.stream().mapToDouble(JsonNode::asDouble).max().orElse(1);
            boolean log = plan.logarithmic().contains(field) || xMin > 0 && xMax / xMin >= 100;
            x = log ? new LogAxis(field) : new NumberAxis(field);
            if (x instanceof NumberAxis n) {
                n.setAutoRangeIncludesZero(false);
                if (values.stream().allMatch(JsonNode::isIntegralNumber)) {
                    n.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                }
            }
        }
        String label = "validation " + plan.rank().label();
        ValueAxis y = lo > 0 && hi / lo >= 10 ? new LogAxis(label) : new NumberAxis(label);
        if (y instanceof NumberAxis n) {
            n.setAutoRangeIncludesZero(false);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(field, new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static Shape diamond(double r) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, -r);
        p.lineTo(r, 0);
        p.lineTo(0, r);
        p.lineTo(-r, 0);
        p.closePath();
        return p;
    }
}
