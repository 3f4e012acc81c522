package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** What {@code train --plots} must have written for one figure: a PNG that decodes to a drawn image, and an SVG document. */
final class TrainPlotsChecks {

    private TrainPlotsChecks() {
    }

    static void assertPngAndSvg(Path dir, String figure) throws IOException {
        BufferedImage png = ImageIO.read(dir.resolve(figure + ".png").toFile());
        assertNotNull(png, figure + ".png is not a PNG");
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100, figure + ".png is " + png.getWidth() + " x " + png.getHeight());
        boolean ink = false;
        for (int x = 0; x < png.getWidth() && !ink; x += 2) {
            for (int y = 0; y < png.getHeight() && !ink; y += 2) {
                ink = (png.getRGB(x, y) & 0xffffff) != 0xffffff;
            }
        }
        assertTrue(ink, figure + ".png is blank");
        String svg = Files.readString(dir.resolve(figure + ".svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.trim().endsWith("</svg>"), figure + ".svg: "
                + svg.substring(0, Math.min(200, svg.length())));
    }
}
