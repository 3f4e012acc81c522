package koopman4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.Activation;
import koopman4j.layers.integrators.Integrator;
import koopman4j.layers.spnode.Autoencoder;
import koopman4j.layers.spnode.HurwitzLinear;
import koopman4j.layers.spnode.LipschitzMlp;
import koopman4j.layers.spnode.StructurePreservingNode;
import org.junit.jupiter.api.Test;

/** {@link TrainingMemory}: the SP-NODE step's estimate, the refusal's message and the machine's limit. */
class TrainingMemoryTest {

    /** Kuramoto–Sivashinsky-sized: 64 states, a 16-dimensional latent space, a Lipschitz g of 2 × 128, an autoencoder of 128. */
    private static final StructurePreservingNode.Options KS = new StructurePreservingNode.Options(64,
            new HurwitzLinear.Options(16, 0.25, List.of()), null, new LipschitzMlp.Options(16, 2, 128, 1.0, Activation.TANH, true),
            new Autoencoder.Options(64, 16, List.of(128), Activation.ELU), Integrator.ETD1);

    @Test
    void aStepUnrolledBeyondTheLimitIsRefusedNamingWhatToLower() {
        // per row: 5·64 + 3·16 + 3·(2·128 + 128) = 1,520 doubles; 1,001 samples × 64 trajectories → 0.73 GiB
        double need = 8.0 * 1001 * 64 * 1520;
        assertEquals(need, TrainingMemory.spNodeStepBytes(KS, 1001, 64, true), 0);
        assertEquals(3 * need, TrainingMemory.spNodeStepBytes(KS, 1001, 64, false), 0);
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> TrainingMemory.checkSpNode(KS, 1001, 64, true, 0.5 * 1024 * 1024 * 1024));
        assertEquals("sp-node training step needs 0.7 GiB (1,001 trained samples × 64 trajectories in a batch unrolled, float64,"
                + " fused engine); this machine allows 0.5 GiB (physical memory less what this process holds): lower"
                + " training.batchSize, data.trainSamples or data.window.steps", e.getMessage());
        TrainingMemory.checkSpNode(KS, 1001, 64, true, need); // exactly enough passes
    }

    @Test
    void theMachineAllowsSomethingAndNoMoreThanItsPhysicalMemory() {
        double available = TrainingMemory.available();
        long physical = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        assertTrue(available > 0 && available < physical, available + " of " + physical);
        // this test JVM's own small steps pass the guard
        TrainingMemory.checkSpNode(KS, 6, 16, true, available);
    }
}
