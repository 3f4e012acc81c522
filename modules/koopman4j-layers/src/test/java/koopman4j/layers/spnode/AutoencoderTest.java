package koopman4j.layers.spnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class AutoencoderTest {

    private static final Logger LOG = LogManager.getLogger(AutoencoderTest.class);

    @Test
    void sameDiffEncodeAndDecodeEqualArrayEvaluation() {
        Random rng = new Random(6);
        for (Activation sigma : Activation.values()) {
            for (List<Integer> widths : List.of(List.<Integer>of(), List.of(7), List.of(9, 5))) {
                Autoencoder.Options o = new Autoencoder.Options(6, 3, widths, sigma);
                SameDiff sd = SameDiff.create();
                Autoencoder ae = Autoencoder.declare(sd, "ae/", o, DataType.DOUBLE, 2);
                for (SDVariable p : ae.parameters()) { // non-zero biases too
                    p.getArr().addi(Nd4j.create(Init.gaussian(rng, (int) p.getArr().length(), 0.3)).reshape(p.getArr().shape()));
                }
                double[][] x = Arrays2.gaussian(rng, 5, 6, 1);
                double[][] u = ae.encode(sd, sd.constant(Nd4j.create(x))).eval().toDoubleMatrix();
                Arrays2.assertClose(ae.encode(x), u, 1e-12, sigma + " " + widths + " encode");
                double[][] back = ae.decode(sd, sd.constant(Nd4j.create(u))).eval().toDoubleMatrix();
                Arrays2.assertClose(ae.decode(u), back, 1e-12, sigma + " " + widths + " decode");
                assertEquals(3, u[0].length);
                assertEquals(6, back[0].length);
            }
        }
    }

    @Test
    void gradientsMatchCentralDifferencesInDoublePrecision() {
        SameDiff sd = SameDiff.create();
        Autoencoder ae = Autoencoder.declare(sd, "ae/", new Autoencoder.Options(4, 2, List.of(5, 3), Activation.ELU), DataType.DOUBLE, 12);
        SDVariable x = Init.variable(sd, "x", Init.gaussian(new Random(4), 12, 1), DataType.DOUBLE, 3, 4);
        List<SDVariable> vars = new ArrayList<>(ae.parameters());
        vars.add(x);
        double worst = GradientCheck.check(sd, ae.decode(sd, ae.encode(sd, x)), vars, 6, 13);
        LOG.info("Autoencoder gradient check: worst relative error {}", worst);
    }

    @Test
    void rejectsBadOptions() {
        assertEquals("model.autoencoder.inputs must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new Autoencoder.Options(0, 2, List.of(4), Activation.ELU)).getMessage());
        assertEquals("model.autoencoder.latent must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new Autoencoder.Options(5, 0, List.of(4), Activation.ELU)).getMessage());
        assertEquals("model.autoencoder.widths[1] must be at least 1, got 0",
                assertThrows(InvalidDataException.class, () -> new Autoencoder.Options(5, 2, List.of(4, 0), Activation.ELU)).getMessage());
        assertEquals("model.autoencoder.widths is missing; give a list such as [64, 32] or []",
                assertThrows(InvalidDataException.class, () -> new Autoencoder.Options(5, 2, null, Activation.ELU)).getMessage());
        assertEquals("model.autoencoder.activation is missing; expected elu, relu, tanh or crelu",
                assertThrows(InvalidDataException.class, () -> new Autoencoder.Options(5, 2, List.of(), null)).getMessage());
    }
}
