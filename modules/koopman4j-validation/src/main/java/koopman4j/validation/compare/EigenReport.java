package koopman4j.validation.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import koopman4j.core.spectrum.Complex;
import koopman4j.core.spectrum.KoopmanEigen;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The eigen-analysis of a fitted K written by {@code compare} (seed 000 §2.2, last paragraph): a JSON
 * with the Koopman eigenvalues λ_j and, per eigenvalue, the coefficients w_j of the Koopman
 * eigenfunction φ_j(x) = w_jᵀ ψ(x) over the dictionary functions ({@link KoopmanEigen}), and a PNG of
 * the eigenvalues against the unit circle.
 *
 * <p>When {@link KoopmanEigen} refuses K (defective or nearly so, as a group-lasso K with many zero
 * columns can be) the eigenvalues alone are written, with the reason; above {@code maxSize} functions
 * nothing is decomposed (O(m³)) and the JSON says so.
 */
final class EigenReport {

    private static final Logger LOG = LogManager.getLogger(EigenReport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private EigenReport() {
    }

    static void write(double[][] k, String dictionary, int maxSize, String title, Path json, Path png) throws IOException {
        int m = k.length;
        ObjectNode root = JSON.createObjectNode();
        root.put("dictionary", dictionary);
        root.put("functions", m);
        root.put("convention", "ψ(x₊) ≈ K ψ(x); φ_j(x) = Σ_i coefficients[i]·ψ_i(x) with φ_j(x₊) = λ_j φ_j(x)");
        Files.createDirectories(json.getParent());
        if (m > maxSize) {
            root.put("skipped", "K is " + m + "×" + m + ", above eigenMaxSize " + maxSize + "; the decomposition costs O(m³)");
            JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
            LOG.info("compare: {}: eigen-analysis skipped (m = {} > {})", title, m, maxSize);
            return;
        }
        if (java.util.Arrays.stream(k).flatMapToDouble(java.util.Arrays::stream).anyMatch(v -> !Double.isFinite(v))) {
            root.put("skipped", "K has non-finite entries");
            JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
            return;
        }
        List<Complex> lambda;
        KoopmanEigen eigen = null;
        try {
            eigen = KoopmanEigen.of(k);
            lambda = eigen.eigenvalues();
        } catch (IllegalStateException refused) {
            root.put("eigenfunctions_skipped", refused.getMessage());
            lambda = eigenvaluesOnly(k);
        }
        root.put("spectral_radius", lambda.stream().mapToDouble(Complex::abs).max().orElse(0));
        ArrayNode values = root.putArray("eigenvalues");
        for (Complex z : lambda) {
            values.addObject().put("re", z.re()).put("im", z.im());
        }
        if (eigen != null) {
            ArrayNode functions = root.putArray("eigenfunctions");
            for (int j = 0; j < eigen.size(); j++) {
                ObjectNode f = functions.addObject();
                f.putObject("eigenvalue").put("re", eigen.eigenvalue(j).re()).put("im", eigen.eigenvalue(j).im());
                ArrayNode re = f.putArray("coefficients_re");
                ArrayNode im = f.putArray("coefficients_im");
                for (Complex w : eigen.leftVector(j)) {
                    re.add(w.re());
                    im.add(w.im());
                }
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        Charts.eigenvalues(lambda, title, png);
    }

    /** Eigenvalues by EJML's QR algorithm when the full decomposition is refused. */
    private static List<Complex> eigenvaluesOnly(double[][] k) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k.length, false);
        if (!eig.decompose(new DMatrixRMaj(k))) {
            throw new IllegalStateException("the QR algorithm did not converge on the " + k.length + "×" + k.length + " matrix K");
        }
        List<Complex> out = new ArrayList<>();
        for (int j = 0; j < k.length; j++) {
            Complex_F64 z = eig.getEigenvalue(j);
            out.add(new Complex(z.real, z.imaginary));
        }
        return out;
    }
}
