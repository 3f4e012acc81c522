package koopman4j.validation.study;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;

/**
 * Writes what {@link KuramotoSivashinskyStudy} measured: {@code results.csv} (one row per model), {@code report.md}
 * and the figures of seed 001 §5.3 (arXiv:2503.01775): {@code ks-spacetime.png} (Fig. 6: truth, each model and its
 * error over x and t) and {@code ks-joint-pdf.png} (Fig. 7: the joint PDF of (u_x, u_xx), truth and each model).
 */
final class KuramotoSivashinskyReport {

    static final String RESULTS = "results.csv";
    static final String REPORT = "report.md";
    static final String SPACETIME = "ks-spacetime.png";
    static final String JOINT_PDF = "ks-joint-pdf.png";
    static final String HEADER = "model,latent,threshold,starts,horizon,agreement_mean,agreement_median,agreement_censored,"
            + "hellinger_joint_pdf,spectrum_max_decades,long_steps,long_max_abs_u,spectral_abscissa,mu,train_steps,train_seconds,"
            + "step_ms,speedup_vs_full";
    private static final int PX_T = 3;
    private static final int PX_X = 3;
    private static final int MARGIN = 90;
    private static final int PDF_CELL = 5;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private KuramotoSivashinskyReport() {
    }

    static void write(List<KuramotoSivashinskyStudy.Outcome> outcomes, KuramotoSivashinskyStudy.Figures f, List<double[]> errors,
                      KuramotoSivashinskyStudy.Options options, String data, int[] starts, int horizon, double seconds, Path out)
            throws IOException {
        // the speed-up is against the (first) model without autoencoder; NaN (csv) and — (report) without one
        double fullMs = outcomes.stream().filter(KuramotoSivashinskyStudy.Outcome::fullState).mapToDouble(
                KuramotoSivashinskyStudy.Outcome::stepMs).findFirst().orElse(Double.NaN);
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (KuramotoSivashinskyStudy.Outcome o : outcomes) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.4g,%.4g,%d,%.4f,%.4f,%d,%.4g,%.5f,%.5f,%d,%.1f,%.2f,%.3f%n", o.name(),
                    o.latent(), num(options.threshold()), o.starts(), horizon, o.meanAgreement(), o.medianAgreement(), o.censored(),
                    o.hellinger(), o.spectrumDecades(), o.longSteps(), o.maxAbsLong(), o.abscissa(), o.mu(), o.trainSteps(),
                    o.trainSeconds(), o.stepMs(), fullMs / o.stepMs()));
        }
        Files.writeString(out.resolve(RESULTS), csv);

        StringBuilder md = new StringBuilder("# Kuramoto–Sivashinsky: chaos in a latent space (seed 001 §5.3, Figs. 6–7)\n\n");
        md.append("Structure-preserving NODE, arXiv:2503.01775, §5.3. u_t = −u u_x − u_xx − u_xxxx on [0, 22), 64 grid values, data ")
                .append(data).append(". Each model is trained on windows of its training trajectory and judged on the separate test "
                        + "trajectory:\n\n");
        md.append(String.format(Locale.ROOT, "- **pointwise agreement**: from %d test states evenly spaced along the test trajectory, "
                + "each forecast %d steps (Δt = %s); the time of agreement is the first t at which ‖û(t) − u(t)‖₂ / ‖u(t)‖₂ exceeds "
                + "**%s**; mean and median over the starts (a forecast that never exceeds it counts as %s: censored).%n", starts.length,
                horizon, num(f.dt()), num(options.threshold()), num(horizon * f.dt())));
        md.append(String.format(Locale.ROOT, "- **statistics**: one rollout from the test trajectory's first state, as long as it "
                + "(%d steps); the joint PDF of (u_x, u_xx) (spectral derivatives, every grid point of every sample, %d×%d bins over the "
                + "truth's range widened by 15%% each side) against the test trajectory's; Hellinger distance √(1 − Σ√(p q)) (0 equal, 1 "
                + "disjoint). For scale: the truth's first half against its second half gives **%.3f**. Energy spectrum E_k = ⟨|û_k|²⟩: "
                + "the largest |log₁₀ E_k^model − log₁₀ E_k^truth| over k = 1…%d.%n", f.truthWindow().length > 0 ? outcomes.get(0).longSteps() : 0,
                options.bins(), options.bins(), f.truthHalfHellinger(), KuramotoSivashinskyStudy.SPECTRUM_MODES));
        md.append(String.format(Locale.ROOT, "- **training speed**: the fused training step (loss, gradient, Adam update; the config's "
                + "batch and window) timed for each model side by side after all training, median of %d steps.%n%n", options.timingSteps()));
        md.append("| model | latent | agreement mean (median) | censored | joint-PDF Hellinger | spectrum Δ (decades) | long rollout max |u| "
                + "| max Re λ(A_L) (μ) | training | step | speed-up vs full |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (KuramotoSivashinskyStudy.Outcome o : outcomes) {
            String speedup = Double.isNaN(fullMs) ? "—" : String.format(Locale.ROOT, "%.2f×", fullMs / o.stepMs());
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f (%.1f) | %d/%d | %.3f | %.2f | %.3g over %d steps | %.4f (%.4f) | %d steps, %.0f s "
                    + "| %.0f ms | %s |%n", o.name(), o.latent(), o.meanAgreement(), o.medianAgreement(), o.censored(), o.starts(),
                    o.hellinger(), o.spectrumDecades(), o.maxAbsLong(), o.longSteps(), o.abscissa(), o.mu(), o.trainSteps(), o.trainSeconds(),
                    o.stepMs(), speedup));
        }
        md.append("\nPaper (Fig. 6 and text): pointwise agreement until t ≈ 50 (latent 20) and t ≈ 25 (latent 7); joint PDFs that "
                + "\"match well\" (Fig. 7, no number); training 12× (latent 20) and 24× (latent 7) faster than without autoencoder.\n\n");
        md.append("## Mean relative error of the forecasts\n\n| t |");
        for (KuramotoSivashinskyStudy.Outcome o : outcomes) {
            md.append(' ').append(o.name()).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(outcomes.size())).append('\n');
        for (int k : new int[] {1, 5, 10, 25, 50, 100, 150}) {
            if (k > horizon) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s |", num(k * f.dt())));
            for (double[] e : errors) {
                md.append(String.format(Locale.ROOT, " %.3f |", e[k - 1]));
            }
            md.append('\n');
        }
        md.append("\n## Energy spectrum ⟨|û_k|²⟩\n\n| k | truth |");
        for (KuramotoSivashinskyStudy.Outcome o : outcomes) {
            md.append(' ').append(o.name()).append(" |");
        }
        md.append("\n|---|---|").append("---|".repeat(outcomes.size())).append('\n');
        for (int k = 1; k <= KuramotoSivashinskyStudy.SPECTRUM_MODES && k < f.truthSpectrum().length; k++) {
            md.append(String.format(Locale.ROOT, "| %d | %.3g |", k, f.truthSpectrum()[k]));
            for (double[] s : f.modelSpectra()) {
                md.append(s == null ? " — |" : String.format(Locale.ROOT, " %.3g |", s[k]));
            }
            md.append('\n');
        }
        spacetime(outcomes, f, out.resolve(SPACETIME));
        jointPdfs(outcomes, f, out.resolve(JOINT_PDF));
        md.append("\n## Fig. 6: space–time\n\nTruth, then each model's forecast from the test trajectory's first state, then each model's "
                + "error (same colour scale, blue −, red +), t = 1 … ").append(f.truthWindow().length).append(".\n\n![space-time](")
                .append(SPACETIME).append(")\n\n## Fig. 7: joint PDF of (u_x, u_xx)\n\nlog₁₀ density, truth left, then each model, same bins "
                        + "and colour scale.\n\n![joint PDF](").append(JOINT_PDF).append(")\n\n");
        md.append(String.format(Locale.ROOT, "Study wall time: %.0f s.%n", seconds));
        Files.writeString(out.resolve(REPORT), md);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Fig. 6: rows of x-by-t heat maps, truth, each model, each model's error. */
    static void spacetime(List<KuramotoSivashinskyStudy.Outcome> outcomes, KuramotoSivashinskyStudy.Figures f, Path png) throws IOException {
        double[][] truth = f.truthWindow();
        int steps = truth.length;
        int n = truth[0].length;
        double scale = 0;
        for (double[] u : truth) {
            for (double v : u) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        List<String> labels = new ArrayList<>();
        List<double[][]> panels = new ArrayList<>();
        labels.add("truth");
        panels.add(truth);
        for (int i = 0; i < outcomes.size(); i++) {
            labels.add(outcomes.get(i).name());
            panels.add(f.modelWindows().get(i));
        }
        for (int i = 0; i < outcomes.size(); i++) {
            double[][] e = new double[steps][n];
            for (int k = 0; k < steps; k++) {
                for (int j = 0; j < n; j++) {
                    e[k][j] = f.modelWindows().get(i)[k][j] - truth[k][j];
                }
            }
            labels.add("error " + outcomes.get(i).name());
            panels.add(e);
        }
        int panelH = n * PX_X;
        int gap = 22;
        BufferedImage image = new BufferedImage(MARGIN + steps * PX_T + 40, panels.size() * (panelH + gap) + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        for (int p = 0; p < panels.size(); p++) {
            int y0 = p * (panelH + gap) + gap;
            double[][] u = panels.get(p);
            for (int k = 0; k < steps; k++) {
                for (int j = 0; j < n; j++) {
                    g.setColor(diverging(u[k][j] / scale));
                    g.fillRect(MARGIN + k * PX_T, y0 + (n - 1 - j) * PX_X, PX_T, PX_X);
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(labels.get(p), 6, y0 + panelH / 2);
        }
        int yAxis = panels.size() * (panelH + gap) + 14;
        for (int k = 0; k <= steps; k += 50) {
            g.drawString("t=" + num(k * f.dt()), MARGIN + k * PX_T - 10, yAxis);
        }
        g.drawString(String.format(Locale.ROOT, "x from 0 (bottom) to %s (top); colour ±%.2f", num(f.length()), scale), MARGIN, yAxis + 16);
        write(image, g, png);
    }

    /** Fig. 7: log₁₀ density of (u_x, u_xx), truth and each model, on the same bins and colour scale. */
    static void jointPdfs(List<KuramotoSivashinskyStudy.Outcome> outcomes, KuramotoSivashinskyStudy.Figures f, Path png) throws IOException {
        List<ChaosStatistics.JointPdf> pdfs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        pdfs.add(f.truthPdf());
        labels.add("truth");
        for (int i = 0; i < outcomes.size(); i++) {
            pdfs.add(f.modelPdfs().get(i));
            labels.add(String.format(Locale.ROOT, "%s (H=%.3f)", outcomes.get(i).name(), outcomes.get(i).hellinger()));
        }
        ChaosStatistics.JointPdf t = f.truthPdf();
        int bx = t.probability().length;
        int by = t.probability()[0].length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < bx; i++) {
            for (int j = 0; j < by; j++) {
                if (t.probability()[i][j] > 0) {
                    max = Math.max(max, Math.log10(t.density(i, j)));
                }
            }
        }
        double min = max - 4; // four decades of density
        int w = bx * PDF_CELL;
        int h = by * PDF_CELL;
        BufferedImage image = new BufferedImage(pdfs.size() * (w + 40) + 60, h + 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        for (int p = 0; p < pdfs.size(); p++) {
            int x0 = 50 + p * (w + 40);
            ChaosStatistics.JointPdf pdf = pdfs.get(p);
            g.setColor(Color.BLACK);
            g.drawString(labels.get(p), x0, 18);
            if (pdf == null) {
                g.drawString("rollout not finite", x0 + 10, 30 + h / 2);
                continue;
            }
            for (int i = 0; i < bx; i++) {
                for (int j = 0; j < by; j++) {
                    double d = pdf.probability()[i][j] > 0 ? (Math.log10(pdf.density(i, j)) - min) / (max - min) : -1;
                    g.setColor(d < 0 ? Color.WHITE : sequential(Math.min(1, d)));
                    g.fillRect(x0 + i * PDF_CELL, 26 + (by - 1 - j) * PDF_CELL, PDF_CELL, PDF_CELL);
                }
            }
            g.setColor(Color.BLACK);
            g.drawRect(x0, 26, w, h);
        }
        g.drawString(String.format(Locale.ROOT, "u_x from %.2f to %.2f (across), u_xx from %.2f to %.2f (up); log10 density from %.1f to %.1f",
                t.xEdges()[0], t.xEdges()[bx], t.yEdges()[0], t.yEdges()[by], min, max), 50, h + 50);
        write(image, g, png);
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static void write(BufferedImage image, Graphics2D g, Path png) throws IOException {
        g.dispose();
        try (var stream = Files.newOutputStream(png)) {
            ChartUtils.writeBufferedImageAsPNG(stream, image);
        }
    }

    /** Blue (−1) through white (0) to red (+1), clipped. */
    static Color diverging(double v) {
        double c = Double.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
        int a = (int) Math.round(255 * (1 - Math.abs(c)));
        return c >= 0 ? new Color(255, a, a) : new Color(a, a, 255);
    }

    /** Light yellow (0) through red (0.5) to dark purple (1). */
    static Color sequential(double v) {
        double c = Math.max(0, Math.min(1, v));
        int[][] stops = {{255, 250, 180}, {225, 70, 40}, {50, 10, 80}};
        int i = c < 0.5 ? 0 : 1;
        double f = c < 0.5 ? 2 * c : 2 * c - 1;
        return new Color((int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
                (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
                (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
    }
}
