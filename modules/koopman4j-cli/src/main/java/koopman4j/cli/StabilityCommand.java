package koopman4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import koopman4j.core.data.MatrixFiles;
import koopman4j.core.stability.Byers;
import koopman4j.core.stability.StabilityResult;
import static koopman4j.core.stability.StabilityCertificate.putFinite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stability}: Byers' bracket (and refined value) of the distance to instability of a matrix. */
@Command(name = "stability", mixinStandardHelpOptions = true,
        description = "Distance of a matrix to instability (Byers' bisection): β(A) for continuous time, γ(A) with --discrete.")
final class StabilityCommand implements Callable<Integer> {

    @Option(names = "--matrix", required = true, description = "square matrix: .csv (rows, no header) or 2-d .npy")
    Path matrix;

    @Option(names = "--discrete", description = "distance to the unit circle γ(A) instead of the imaginary axis β(A)")
    boolean discrete;

    @Option(names = "--tol", defaultValue = "1e-8", description = "relative bisection tolerance (default ${DEFAULT-VALUE})")
    double tol;

    @Option(names = "--exact", description = "refine to full precision and report the minimising frequency")
    boolean exact;

    @Override
    public Integer call() throws Exception {
        double[][] a = MatrixFiles.read(matrix);
        StabilityResult r = discrete ? Byers.discrete(a, tol, exact) : Byers.continuous(a, tol, exact);
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("region", r.region());
        json.put("lower", r.lower());
        json.put("upper", r.upper());
        if (exact) {
            putFinite(json, "exact", r.exact());
            putFinite(json, discrete ? "theta" : "omega", r.omega());
        }
        json.put("unstable", r.unstable());
        json.put("bisection_iterations", r.bisectionIterations());
        json.put("refinement_iterations", r.refinementIterations());
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
        if (r.unstable()) {
            System.err.println("koopman4j: the matrix is unstable (an eigenvalue lies " + (discrete ? "on or outside the unit circle" : "in the closed right half-plane") + "): distance 0");
        }
        return 0;
    }
}
