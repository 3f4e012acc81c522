package koopman4j.validation.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-model eigen JSON: eigenfunction coefficients that satisfy wᵀK = λwᵀ, and the refusals. */
class EigenReportTest {

    @TempDir
    Path dir;

    private JsonNode write(double[][] k, int maxSize) throws IOException {
        EigenReport.write(k, "test dictionary", maxSize, "test", dir.resolve("e.json"), dir.resolve("e.png"));
        return new ObjectMapper().readTree(dir.resolve("e.json").toFile());
    }

    @Test
    void coefficientsAreLeftEigenvectorsOfK() throws IOException {
        // a rotation by θ scaled by 0.9, and a real mode 0.5: λ = 0.9e^{±iθ}, 0.5
        double c = 0.9 * Math.cos(0.3);
        double s = 0.9 * Math.sin(0.3);
        double[][] k = {{c, -s, 0.2}, {s, c, 0.1}, {0, 0, 0.5}};
        JsonNode json = write(k, 10);
        assertEquals(3, json.path("eigenvalues").size());
        assertEquals(0.9, json.path("spectral_radius").asDouble(), 1e-12);
        for (JsonNode f : json.path("eigenfunctions")) {
            double lr = f.path("eigenvalue").path("re").asDouble();
            double li = f.path("eigenvalue").path("im").asDouble();
            double[] wr = new double[3];
            double[] wi = new double[3];
            for (int i = 0; i < 3; i++) {
                wr[i] = f.path("coefficients_re").get(i).asDouble();
                wi[i] = f.path("coefficients_im").get(i).asDouble();
            }
            for (int j = 0; j < 3; j++) { // (wᵀK)_j = λ w_j
                double ar = 0;
                double ai = 0;
                for (int i = 0; i < 3; i++) {
                    ar += wr[i] * k[i][j];
                    ai += wi[i] * k[i][j];
                }
                assertEquals(lr * wr[j] - li * wi[j], ar, 1e-10);
                assertEquals(lr * wi[j] + li * wr[j], ai, 1e-10);
            }
        }
        assertTrue(Files.size(dir.resolve("e.png")) > 0);
    }

    @Test
    void defectiveKKeepsEigenvaluesAndSaysWhyNoEigenfunctions() throws IOException {
        JsonNode json = write(new double[][] {{1, 1}, {0, 1}}, 10); // a Jordan block
        assertEquals(2, json.path("eigenvalues").size());
        assertFalse(json.has("eigenfunctions"));
        assertTrue(json.path("eigenfunctions_skipped").asText().contains("defective"), json.toString());
    }

    @Test
    void largeKIsNotDecomposed() throws IOException {
        JsonNode json = write(new double[4][4], 3);
        assertTrue(json.path("skipped").asText().contains("above eigenMaxSize 3"), json.toString());
        assertFalse(Files.exists(dir.resolve("e.png")));
    }
}
