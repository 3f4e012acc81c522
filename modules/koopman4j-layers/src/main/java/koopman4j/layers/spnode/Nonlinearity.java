package koopman4j.layers.spnode;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The nonlinear part g of du/dt = A_L u + g(u) (seed 001, eq. 2): {@link BilinearNet} (eq. 6) or
 * {@link LipschitzMlp} (eq. 7–8). States are rows: u is [batch, n] and so is g(u).
 */
public interface Nonlinearity {

    /** n, the state dimension g maps from and to. */
    int dimension();

    /** g(u) for rows u [batch, n], as differentiable SameDiff ops. */
    SDVariable apply(SameDiff sd, SDVariable u);

    /** g(u) for rows u with the parameters' current values, in plain double arithmetic. */
    double[][] evaluate(double[][] u);

    /** The trainable variables, in declaration order. */
    List<SDVariable> parameters();
}
