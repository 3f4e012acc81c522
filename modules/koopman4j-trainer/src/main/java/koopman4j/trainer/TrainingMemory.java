package koopman4j.trainer;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import koopman4j.core.data.InvalidDataException;
import koopman4j.layers.spnode.StructurePreservingNode;
import org.bytedeco.javacpp.Pointer;

/**
 * A memory estimate made before a training step's arrays are allocated, and a refusal that names the limit: an SP-NODE
 * step unrolls every trained sample of every trajectory in the batch, so a long horizon (thousands of samples, or a
 * long data.window) times a large batch can ask for more than the machine has, and would otherwise fail deep inside
 * ND4J (or swap) after the data were simulated. The arrays live off the Java heap, so the limit is the machine's physical
 * memory (or JavaCPP's {@code org.bytedeco.javacpp.maxphysicalbytes}, when set) less what this process holds already.
 */
final class TrainingMemory {

    private static final double GIB = 1024.0 * 1024 * 1024;
    /** The SameDiff graph keeps each op's output and gradient where the fused step keeps one array per quantity. */
    private static final int GRAPH_OVERHEAD = 3;

    private TrainingMemory() {
    }

    /** Bytes this process may still take: physical memory (or JavaCPP's physical limit) less its resident set. */
    static double available() {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        long limit = Pointer.maxPhysicalBytes() > 0 ? Math.min(Pointer.maxPhysicalBytes(), physical) : physical;
        return limit - Pointer.physicalBytes();
    }

    /**
     * Bytes of an SP-NODE training step's float64 arrays over rows = samples × batch: per row the states, prediction,
     * residual and the trainer's copy of the batch (m each), the latent state, g and their adjoints (n each), and per
     * hidden unit of g's and the decoder's layers a value, a pre-activation and an adjoint.
     */
    static double spNodeStepBytes(StructurePreservingNode.Options o, int samples, int batch, boolean fused) {
        int m = o.inputs();
        int n = o.linear().dimension();
        long hidden = 0;
        if (o.lipschitz() != null) {
            hidden += (long) o.lipschitz().layers() * o.lipschitz().width();
        }
        if (o.bilinear() != null) {
            hidden += (long) o.bilinear().rank() * n;
        }
        if (o.autoencoder() != null) {
            hidden += o.autoencoder().widths().stream().mapToLong(Integer::longValue).sum();
        }
        double perRow = 5.0 * m + 3.0 * n + 3.0 * hidden;
        return 8.0 * samples * batch * perRow * (fused ? 1 : GRAPH_OVERHEAD);
    }

    /** Refuses an SP-NODE step that needs more than {@code available} bytes, naming the settings that set its size. */
    static void checkSpNode(StructurePreservingNode.Options o, int samples, int batch, boolean fused, double available) {
        double need = spNodeStepBytes(o, samples, batch, fused);
        if (need > available) {
            throw new InvalidDataException(String.format(Locale.ROOT,
                    "sp-node training step needs %.1f GiB (%,d trained samples × %,d trajectories in a batch unrolled, float64, %s"
                            + " engine); this machine allows %.1f GiB (physical memory less what this process holds): lower"
                            + " training.batchSize, data.trainSamples or data.window.steps", need / GIB, samples, batch,
                    fused ? "fused" : "samediff", available / GIB));
        }
    }
}
