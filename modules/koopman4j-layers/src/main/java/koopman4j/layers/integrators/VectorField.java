package koopman4j.layers.integrators;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The nonlinear part g of du/dt = Au + g(u) (seed 001, eq. 1–2) as SameDiff ops: a batch of states as
 * rows [B, n] in, g of each row [B, n] out. Any network (bilinear, Lipschitz, …) plugs in here.
 */
@FunctionalInterface
public interface VectorField {
    SDVariable apply(SameDiff sd, SDVariable u);
}
