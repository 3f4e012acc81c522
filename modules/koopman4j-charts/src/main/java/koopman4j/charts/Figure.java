package koopman4j.charts;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import koopman4j.core.data.InvalidDataException;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/**
 * A figure made by {@link Figures}: shown in a notebook as an image ({@code display(figure.image())}
 * on a Java kernel), saved as a PNG or an SVG, or drawn onto any {@link Graphics2D}. The underlying JFreeChart
 * is there for whoever wants to restyle it.
 *
 * @param chart  the JFreeChart
 * @param width  the default size in pixels
 * @param height the default size in pixels
 */
public record Figure(JFreeChart chart, int width, int height) {

    public Figure {
        if (chart == null) {
            throw new InvalidDataException("no chart");
        }
        if (width < 1 || height < 1) {
            throw new InvalidDataException("figure size must be positive, got " + width + " x " + height);
        }
    }

    /** The figure at its default size. */
    public BufferedImage image() {
        return image(width, height);
    }

    /** The figure as an RGB image of the given size. */
    public BufferedImage image(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        draw(g, 0, 0, w, h);
        g.dispose();
        return image;
    }

    /** Draws the figure into a rectangle of {@code g} (e.g. one panel of a larger image). */
    public void draw(Graphics2D g, double x, double y, double w, double h) {
        chart.draw(g, new Rectangle2D.Double(x, y, w, h));
    }

    /** Writes the figure as a PNG at its default size (parent directories created). */
    public Path savePng(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeBufferedImageAsPNG(out, image());
        }
        return file;
    }

    /** Writes the figure as an SVG document at its default size (vector graphics, for papers and the web). */
    public Path saveSvg(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        draw(g, 0, 0, width, height);
        Files.writeString(file, g.getSVGDocument());
        return file;
    }
}
