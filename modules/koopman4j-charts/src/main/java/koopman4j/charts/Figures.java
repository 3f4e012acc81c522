package koopman4j.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Trajectory;
import koopman4j.core.linalg.Expm;
import koopman4j.core.model.DictionaryResponses;
import koopman4j.core.spectrum.Complex;
import org.ejml.data.Complex_F64;
import org.ejml.simple.SimpleMatrix;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The figures a koopman4j user looks at, each a {@link Figure}: a forecast against the truth, state by
 * state; the eigenvalues of a Koopman matrix against the unit circle (seed 000) or of a continuous-time
 * operator against the line Re z = μ (seed 001, eq. 3–5); a training curve; ‖e^{tA}‖₂ over time,
 * the transient growth of seed 001's Fig. 2; and the responses of learned dictionary functions to
 * perturbations along each observable, seed 000's Fig. 3. Drawn with JFreeChart, headless.
 */
public final class Figures {

    /** At most this many states are drawn in a forecast (a 96-state system would be unreadable). */
    public static final int MAX_STATES = 7;
    /** At most this many observables get a panel in {@link #dictionaryResponses}. */
    public static final int MAX_PANELS = 8;
    /** Learned dictionary functions drawn in each panel of {@link #dictionaryResponses}. */
    public static final int FUNCTIONS_PER_PANEL = 4;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2)};
    private static final Font TITLE = new Font("SansSerif", Font.BOLD, 14);
    private static final Font SUBTITLE = new Font("SansSerif", Font.PLAIN, 11);
    private static final BasicStroke SOLID = new BasicStroke(1.8f);
    private static final BasicStroke DASHED = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    private Figures() {
    }

    /**
     * A forecast (solid) against the truth (dashed), one colour per state, on the truth's value range
     * (a diverging forecast leaves the plot rather than flattening the truth). The two trajectories may
     * have different times (an ODE forecast with its own step).
     *
     * @param names the states' names, one per column of both trajectories
     */
    public static Figure forecast(String title, List<String> names, Trajectory truth, Trajectory forecast) {
        if (truth.dimension() != names.size() || forecast.dimension() != names.size()) {
            throw new InvalidDataException("forecast: " + names.size() + " names for trajectories of " + truth.dimension() + " and "
                    + forecast.dimension() + " states");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true); // the dash pattern runs across many short segments
        int states = Math.min(MAX_STATES, names.size());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < states; i++) {
            XYSeries model = series(names.get(i), forecast, i);
            XYSeries observed = series(names.get(i) + " truth", truth, i);
            for (double[] x : truth.states()) {
                lo = Math.min(lo, x[i]);
                hi = Math.max(hi, x[i]);
            }
            int s = data.getSeriesCount();
            data.addSeries(model);
            data.addSeries(observed);
            Color colour = PALETTE[i % PALETTE.length];
            renderer.setSeriesPaint(s, colour);
            renderer.setSeriesStroke(s, SOLID);
            renderer.setSeriesPaint(s + 1, colour);
            renderer.setSeriesStroke(s + 1, DASHED);
            renderer.setSeriesVisibleInLegend(s + 1, false);
        }
        NumberAxis value = new NumberAxis(states < names.size() ? "first " + states + " of " + names.size() + " states" : "state");
        double pad = 0.25 * Math.max(hi - lo, 1e-12);
        value.setRange(lo - pad, hi + pad);
        return new Figure(chart(title, "solid: forecast, dashed: truth", new XYPlot(data, new NumberAxis("t"), value, renderer), true),
                720, 400);
    }

    private static XYSeries series(String name, Trajectory t, int state) {
        XYSeries s = new XYSeries(name, false, true);
        for (int k = 0; k < t.length(); k++) {
            double v = t.states()[k][state];
            s.add(t.times()[k], Double.isFinite(v) ? v : Double.NaN);
        }
        return s;
    }

    /** The eigenvalues of a discrete-time Koopman matrix K with the unit circle, where ψ_k = K^kψ₀ stops decaying. */
    public static Figure discreteSpectrum(String title, double[][] k) {
        return discreteSpectrum(title, eigenvalues(k));
    }

    /** The same from eigenvalues already computed (e.g. {@code KoopmanEigen.of(k).eigenvalues()}). */
    public static Figure discreteSpectrum(String title, List<Complex> lambda) {
        XYSeries circle = new XYSeries("|λ| = 1", false, true);
        for (int d = 0; d <= 360; d++) {
            circle.add(Math.cos(Math.toRadians(d)), Math.sin(Math.toRadians(d)));
        }
        double radius = lambda.stream().mapToDouble(Complex::abs).max().orElse(0);
        double r = 1.1 * Math.max(1, radius);
        NumberAxis re = new NumberAxis("Re λ");
        NumberAxis im = new NumberAxis("Im λ");
        re.setRange(-r, r);
        im.setRange(-r, r);
        String subtitle = String.format(Locale.ROOT, "%d eigenvalues, spectral radius %.5f", lambda.size(), radius);
        return new Figure(chart(title, subtitle, spectrumPlot(circle, lambda, "eigenvalues of K", re, im), true), 520, 540);
    }

    /** The eigenvalues of a continuous-time operator A with the line Re z = μ that they must stay left of (seed 001, eq. 3–5). */
    public static Figure continuousSpectrum(String title, double[][] a, double mu) {
        List<Complex> lambda = eigenvalues(a);
        double reach = Math.abs(mu);
        for (Complex z : lambda) {
            reach = Math.max(reach, Math.max(Math.abs(z.re()), Math.abs(z.im())));
        }
        double r = 1.15 * Math.max(reach, 1e-3);
        XYSeries line = new XYSeries("Re z = μ", false, true);
        line.add(mu, -r);
        line.add(mu, r);
        NumberAxis re = new NumberAxis("Re λ");
        NumberAxis im = new NumberAxis("Im λ");
        re.setRange(-r, r);
        im.setRange(-r, r);
        double abscissa = lambda.stream().mapToDouble(Complex::re).max().orElse(Double.NaN);
        String subtitle = String.format(Locale.ROOT, "%d eigenvalues, max Re λ %.4f, μ = %s", lambda.size(), abscissa, mu);
        return new Figure(chart(title, subtitle, spectrumPlot(line, lambda, "eigenvalues of A", re, im), true), 520, 540);
    }

    private static XYPlot spectrumPlot(XYSeries boundary, List<Complex> lambda, String label, ValueAxis re, ValueAxis im) {
        XYSeries points = new XYSeries(label, false, true);
        for (Complex z : lambda) {
            points.add(z.re(), z.im());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(boundary);
        data.addSeries(points);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, true);
        renderer.setSeriesShapesVisible(0, false);
        renderer.setSeriesPaint(0, Color.GRAY);
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesShapesVisible(1, true);
        renderer.setSeriesShape(1, new Ellipse2D.Double(-3, -3, 6, 6));
        renderer.setSeriesPaint(1, PALETTE[0]);
        return new XYPlot(data, re, im, renderer);
    }

    /** The eigenvalues of a square real matrix (EJML's general eigen-decomposition; defective matrices too). */
    static List<Complex> eigenvalues(double[][] a) {
        for (double[] row : a) {
            if (row.length != a.length) {
                throw new InvalidDataException("the matrix must be square, got a row of " + row.length + " in " + a.length + " rows");
            }
        }
        List<Complex> out = new ArrayList<>();
        for (Complex_F64 z : new SimpleMatrix(a).eig().getEigenvalues()) {
            out.add(new Complex(z.real, z.imaginary));
        }
        return out;
    }

    /**
     * A training curve: the loss and the model-selection score at each evaluation, on a log scale
     * (non-positive values are left out).
     *
     * @param scoreLabel what the score is, e.g. "validation rollout + one-step error (%)"
     */
    public static Figure trainingCurve(String title, int[] steps, double[] loss, double[] score, String scoreLabel) {
        if (steps.length != loss.length || steps.length != score.length) {
            throw new InvalidDataException("trainingCurve: " + steps.length + " steps, " + loss.length + " losses and "
                    + score.length + " scores");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries l = new XYSeries("training loss", false, true);
        XYSeries s = new XYSeries(scoreLabel, false, true);
        for (int i = 0; i < steps.length; i++) {
            if (loss[i] > 0) {
                l.add(steps[i], loss[i]);
            }
            if (score[i] > 0) {
                s.add(steps[i], score[i]);
            }
        }
        data.addSeries(l);
        data.addSeries(s);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < 2; i++) {
            renderer.setSeriesPaint(i, PALETTE[i]);
            renderer.setSeriesStroke(i, SOLID);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        LogAxis value = new LogAxis("loss, score");
        value.setSmallestValue(1e-12);
        return new Figure(chart(title, "at each evaluation", new XYPlot(data, new NumberAxis("step"), value, renderer), true), 640, 380);
    }

    /**
     * ‖e^{tA}‖₂ over t ∈ [0, tMax] for each named matrix (seed 001, Fig. 2: A_bump grows before it decays,
     * A_decay decays from the start), with the level 1.
     */
    public static Figure normOfExponential(String title, Map<String, double[][]> matrices, double tMax) {
        if (!(tMax > 0) || !Double.isFinite(tMax)) {
            throw new InvalidDataException("normOfExponential: tMax must be a finite number > 0, got " + tMax);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        int points = 200;
        for (Map.Entry<String, double[][]> m : matrices.entrySet()) {
            XYSeries s = new XYSeries(m.getKey(), false, true);
            for (int j = 0; j <= points; j++) {
                double t = tMax * j / points;
                s.add(t, spectralNorm(Expm.exp(scaled(m.getValue(), t))));
            }
            renderer.setSeriesPaint(data.getSeriesCount(), PALETTE[data.getSeriesCount() % PALETTE.length]);
            renderer.setSeriesStroke(data.getSeriesCount(), SOLID);
            data.addSeries(s);
        }
        XYSeries one = new XYSeries("1", false, true);
        one.add(0, 1);
        one.add(tMax, 1);
        renderer.setSeriesPaint(data.getSeriesCount(), Color.GRAY);
        renderer.setSeriesStroke(data.getSeriesCount(), DASHED);
        renderer.setSeriesVisibleInLegend(data.getSeriesCount(), false);
        data.addSeries(one);
        return new Figure(chart(title, "‖e^{tA}‖₂ (dashed: 1)", new XYPlot(data, new NumberAxis("t"), new NumberAxis("‖e^{tA}‖₂"),
                renderer), true), 640, 380);
    }

    /**
     * Seed 001's Fig. 2: ‖e^{tA}‖₂ for A_bump = [[−2, 10], [0, −2]] (γ &gt; 0: the norm grows before it decays) and
     * A_decay = [[−2, 1], [0, −2]] (γ &lt; 0: it decays from the start), eq. 23, over t ∈ [0, 3].
     */
    public static Figure transientGrowthNorms() {
        Map<String, double[][]> m = new LinkedHashMap<>(); // insertion order: the legend and colours follow the paper's
        m.put("A_bump", new double[][] {{-2, 10}, {0, -2}});
        m.put("A_decay", new double[][] {{-2, 1}, {0, -2}});
        return normOfExponential("‖e^{tA}‖ for A_bump and A_decay (seed 001, Fig. 2)", m, 3);
    }

    /**
     * Seed 000's Fig. 3: the learned dictionary functions' responses to a perturbation δ along each observable,
     * the others held at the reference; one panel per observable (at most {@value #MAX_PANELS}) with its
     * {@value #FUNCTIONS_PER_PANEL} most responsive functions. The shared x axis is δ as a fraction of each
     * observable's half-width h_i (the panel's label gives h_i in the observable's units).
     */
    public static Figure dictionaryResponses(String title, DictionaryResponses r) {
        NumberAxis delta = new NumberAxis("perturbation δ / h (each observable swept over reference ± h, the others held)");
        delta.setRange(-1, 1);
        CombinedDomainXYPlot panels = new CombinedDomainXYPlot(delta);
        panels.setGap(6);
        int shown = Math.min(MAX_PANELS, r.inputNames().size());
        for (int i = 0; i < shown; i++) {
            double[] offsets = r.offsets()[i];
            double h = offsets[offsets.length - 1];
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int j : r.mostResponsive(i, FUNCTIONS_PER_PANEL)) { // colours by rank: m may exceed the palette
                XYSeries s = new XYSeries("ψ" + (r.reference().length + j + 1), false, true);
                for (int p = 0; p < offsets.length; p++) {
                    double v = r.responses()[i][p][j];
                    s.add(offsets[p] / h, Double.isFinite(v) ? v : Double.NaN);
                }
                renderer.setSeriesPaint(data.getSeriesCount(), PALETTE[data.getSeriesCount()]);
                renderer.setSeriesStroke(data.getSeriesCount(), SOLID);
                data.addSeries(s);
            }
            NumberAxis response = new NumberAxis(String.format(Locale.ROOT, "%s (h = %.3g)", r.inputNames().get(i), h));
            response.setAutoRangeIncludesZero(false);
            response.setLabelFont(SUBTITLE);
            XYPlot panel = new XYPlot(data, null, response, renderer);
            panel.setBackgroundPaint(Color.WHITE);
            panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
            panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
            LegendTitle legend = new LegendTitle(panel); // each panel names its own functions
            legend.setItemFont(SUBTITLE);
            legend.setBackgroundPaint(new Color(255, 255, 255, 200));
            panel.addAnnotation(new XYTitleAnnotation(0.99, 0.97, legend, RectangleAnchor.TOP_RIGHT));
            panels.add(panel);
        }
        String subtitle = String.format(Locale.ROOT, "%d learned functions; the %d that vary most along each observable%s",
                r.functions(), Math.min(FUNCTIONS_PER_PANEL, r.functions()),
                shown < r.inputNames().size() ? "; first " + shown + " of " + r.inputNames().size() + " observables" : "");
        return new Figure(chart(title, subtitle, panels, false), 720, 120 + 150 * shown);
    }

    /** ‖M‖₂, the largest singular value. */
    static double spectralNorm(double[][] m) {
        double[] sv = new SimpleMatrix(m).svd(true).getSingularValues();
        double max = 0;
        for (double v : sv) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static double[][] scaled(double[][] a, double t) {
        double[][] s = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i].clone();
            for (int j = 0; j < s[i].length; j++) {
                s[i][j] *= t;
            }
        }
        return s;
    }

    private static JFreeChart chart(String title, String subtitle, XYPlot plot, boolean legend) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
        chart.addSubtitle(new TextTitle(subtitle, SUBTITLE));
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
