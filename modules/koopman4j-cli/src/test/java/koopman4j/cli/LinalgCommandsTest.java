package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import koopman4j.core.data.MatrixFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stability} and {@code expmv} on matrices with closed-form answers. */
class LinalgCommandsTest {

    @TempDir
    Path dir;

    private JsonNode stdoutJson(String... args) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        try {
            CliRun run = CliRun.of(args);
            assertEquals(0, run.exitCode(), run.err());
        } finally {
            System.setOut(out);
        }
        return new ObjectMapper().readTree(buffer.toString());
    }

    @Test
    void stabilityOfANormalMatrixIsTheDistanceOfItsSpectrumToTheAxis() throws Exception {
        Path a = dir.resolve("a.csv");
        Files.writeString(a, "-1,0\n0,-2\n");
        JsonNode json = stdoutJson("stability", "--matrix", a.toString(), "--exact");
        assertEquals(1.0, json.get("exact").asDouble(), 1e-10);
        assertTrue(json.get("lower").asDouble() <= 1 && 1 <= json.get("upper").asDouble());
        assertEquals(false, json.get("unstable").asBoolean());
    }

    @Test
    void stabilityReportsZeroForAnUnstableMatrixAndSaysSo() throws Exception {
        Path a = dir.resolve("u.csv");
        Files.writeString(a, "0.5,1\n0,-1\n");
        JsonNode json = stdoutJson("stability", "--matrix", a.toString());
        assertEquals(0.0, json.get("upper").asDouble());
        assertTrue(json.get("unstable").asBoolean());
    }

    @Test
    void discreteStabilityOfADiagonalMatrixIsOneMinusItsSpectralRadius() throws Exception {
        Path a = dir.resolve("d.csv");
        Files.writeString(a, "0.9,0\n0,-0.5\n");
        JsonNode json = stdoutJson("stability", "--matrix", a.toString(), "--discrete", "--exact");
        assertEquals(0.1, json.get("exact").asDouble(), 1e-10);
    }

    @Test
    void stabilityRejectsNonSquareAndNaNMatrices() throws Exception {
        Path a = dir.resolve("r.csv");
        Files.writeString(a, "1,2,3\n4,5,6\n");
        CliRun run = CliRun.of("stability", "--matrix", a.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("square"), run.err());
        Files.writeString(a, "1,nan\n4,5\n");
        run = CliRun.of("stability", "--matrix", a.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("r.csv line 1"), run.err());
    }

    @Test
    void expmvMatchesTheClosedFormOfAJordanLikeBlock() throws Exception {
        double alpha = -0.7;
        double beta = 3;
        double t = 1.3;
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        MatrixFiles.write(new double[][] {{alpha, beta}, {0, alpha}}, a);
        MatrixFiles.write(new double[][] {{1, 0}, {0, 1}}, b);
        for (String precision : new String[] {"double", "single"}) {
            Path x = dir.resolve("x-" + precision + ".npy");
            CliRun run = CliRun.of("expmv", "--matrix", a.toString(), "--vectors", b.toString(), "--t", Double.toString(t),
                    "--precision", precision, "--out", x.toString());
            assertEquals(0, run.exitCode(), run.err());
            double[][] result = MatrixFiles.read(x);
            double e = Math.exp(alpha * t);
            double tol = precision.equals("double") ? 1e-14 : 1e-6;
            assertEquals(e, result[0][0], tol);
            assertEquals(e * beta * t, result[0][1], tol * 4);
            assertEquals(0, result[1][0], tol);
            assertEquals(e, result[1][1], tol);
        }
        CliRun bad = CliRun.of("expmv", "--matrix", a.toString(), "--vectors", b.toString(), "--t", "1", "--precision", "half",
                "--out", dir.resolve("y.npy").toString());
        assertEquals(2, bad.exitCode());
        assertEquals("koopman4j: --precision must be single or double, got 'half'", bad.err());
    }
}
