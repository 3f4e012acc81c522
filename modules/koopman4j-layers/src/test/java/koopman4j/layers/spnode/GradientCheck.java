package koopman4j.layers.spnode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import koopman4j.layers.SameDiffQuiet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference check of SameDiff gradients in double precision: the fourth-order central
 * stencil (8[f(x+h) − f(x−h)] − [f(x+2h) − f(x−2h)])/12h with h = 1e-4·max(1, |x|), whose truncation
 * error O(h⁴) and rounding error O(ε|f|/h) both stay far below the tolerance. The loss is a random linear
 * functional plus the sum of squares of the output, so every output entry matters with a distinct
 * weight. An entry passes when |numeric − analytic| ≤ 1e-6·max(|numeric|, |analytic|), or ≤ 1e-10
 * absolutely (entries whose gradient vanishes, where a relative error means nothing).
 */
final class GradientCheck {

    static final double RELATIVE = 1e-6;
    static final double ABSOLUTE = 1e-10;

    private GradientCheck() {
    }

    /**
     * Adds the loss to sd and checks d loss / d v for every v in variables (all must be VARIABLEs, in
     * DOUBLE), at most maxEntries random entries of each. Returns the largest relative error seen.
     */
    static double check(SameDiff sd, SDVariable output, List<SDVariable> variables, int maxEntries, long seed) {
        Random rng = new Random(seed);
        long[] shape = output.eval().shape();
        INDArray weights = Nd4j.create(Init.gaussian(rng, (int) output.eval().length(), 1.0)).reshape('c', shape);
        SDVariable loss = output.mul(sd.constant(weights)).sum().add(output.mul(output).sum());
        String lossName = loss.name();
        sd.setLossVariables(lossName);
        String[] names = variables.stream().map(SDVariable::name).toArray(String[]::new);
        Map<String, INDArray> grads = SameDiffQuiet.call(() -> sd.calculateGradients(Map.of(), names));
        double worst = 0;
        for (SDVariable v : variables) {
            INDArray param = v.getArr();
            assertTrue(param.dataType() == DataType.DOUBLE, v.name() + " must be DOUBLE for a gradient check");
            INDArray grad = grads.get(v.name());
            int length = (int) param.length();
            for (int t = 0; t < Math.min(length, maxEntries); t++) {
                long i = length <= maxEntries ? t : rng.nextInt(length);
                double original = param.getDouble(i);
                double h = 1e-4 * Math.max(1, Math.abs(original));
                double numeric = (8 * (shifted(sd, lossName, param, i, original + h) - shifted(sd, lossName, param, i, original - h))
                        - (shifted(sd, lossName, param, i, original + 2 * h) - shifted(sd, lossName, param, i, original - 2 * h))) / (12 * h);
                param.putScalar(i, original);
                double analytic = grad.getDouble(i);
                double diff = Math.abs(numeric - analytic);
                double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
                assertTrue(diff <= RELATIVE * scale || diff <= ABSOLUTE,
                        v.name() + "[" + i + "]: numeric " + numeric + ", analytic " + analytic);
                if (diff > ABSOLUTE) {
                    worst = Math.max(worst, diff / scale);
                }
            }
        }
        return worst;
    }

    /** The loss with entry i of param set to x. */
    private static double shifted(SameDiff sd, String name, INDArray param, long i, double x) {
        param.putScalar(i, x);
        return sd.output(Map.of(), name).get(name).getDouble(0);
    }
}
