package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** G = Ψ_pᵀΨ_p and C = Ψ_fᵀΨ_p through the backend's dgemm in chunks, against the plain double sums. */
class GramMatricesTest {

    @Test
    void chunkedProductsEqualThePlainSumsAcrossChunkBoundaries() {
        Random rng = new Random(4);
        int rows = 2 * GramMatrices.CHUNK + 37; // two full chunks and a short one
        int m = 11;
        double[][] past = new double[rows][m];
        double[][] future = new double[rows][m];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                past[r][j] = rng.nextGaussian();
                future[r][j] = rng.nextGaussian();
            }
        }
        GramMatrices gram = GramMatrices.of(past, future);
        double[][] g = gram.gram();
        double[][] c = gram.cross();
        assertEquals(rows, gram.pairs());
        assertEquals(m, gram.size());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double gij = 0;
                double cij = 0;
                for (int r = 0; r < rows; r++) {
                    gij += past[r][i] * past[r][j];
                    cij += future[r][i] * past[r][j];
                }
                assertEquals(gij, g[i][j], 1e-10 * rows, "G[" + i + "][" + j + "]");
                assertEquals(cij, c[i][j], 1e-10 * rows, "C[" + i + "][" + j + "]");
            }
            for (int j = 0; j < m; j++) {
                assertEquals(g[i][j], g[j][i], 0.0, "G is symmetric");
            }
        }
    }

    @Test
    void mismatchedRowsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GramMatrices.of(new double[3][2], new double[2][2]));
        assertEquals("need as many future as past rows, and at least one; got 3 and 2", e.getMessage());
    }
}
