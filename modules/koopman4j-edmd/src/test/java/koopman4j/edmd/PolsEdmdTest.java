package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.systems.PartiallyObservedLinearSystem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** E-DMD on the POLS of seed 000 Table 1: a smoke size in every build, the 128-node network under -Preproduce. */
class PolsEdmdTest {

    private static final Logger LOG = LogManager.getLogger(PolsEdmdTest.class);

    /** Fit time and the peak of heap in use, sampled every 20 ms. */
    record Measured(Edmd model, double seconds, long peakBytes) {
    }

    static Measured fitMeasured(TrajectorySet train, Edmd.Options options) throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long start = System.nanoTime();
        Edmd model = Edmd.fit(train, options);
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        sampler.join();
        return new Measured(model, seconds, peak.get());
    }

    static void fitAndReport(int nodes, int trajectories, int steps, double tikhonov) throws InterruptedException {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(nodes, 0.25, nodes));
        TrajectorySet train = system.simulate(trajectories, steps, 1);
        TrajectorySet test = system.simulate(Math.max(2, trajectories / 4), steps, 2);
        int observed = nodes - (int) Math.round(0.25 * nodes);
        assertEquals(observed, train.dimension());
        Edmd.Options options = Edmd.Options.of("legendre", 2, 0, 0, tikhonov, 0);
        Measured m = fitMeasured(train, options);
        long functions = DictionaryKind.LEGENDRE.size(observed, 2, 0, 0);
        assertEquals(functions, m.model().dictionary().size());
        double trainPct = ErrorMetrics.oneStepErrorPct(m.model(), train);
        double testPct = ErrorMetrics.oneStepErrorPct(m.model(), test);
        LOG.info(String.format("POLS N=%d (%d observed), legendre degree 2 (%d functions), %d pairs: fit %.1f s, peak heap %.2f GiB "
                        + "of %.2f GiB; one-step error train %.2f%%, test %.2f%%",
                nodes, observed, functions, train.pairCount(), m.seconds(), m.peakBytes() / 1073741824.0,
                Runtime.getRuntime().maxMemory() / 1073741824.0, trainPct, testPct));
        assertTrue(Double.isFinite(testPct) && trainPct < 100, "a usable fit");
        assertTrue(m.peakBytes() < Runtime.getRuntime().maxMemory());
    }

    @Test
    void smallNetworkWithADegreeTwoDictionaryFits() throws InterruptedException {
        fitAndReport(16, 40, 40, 0);
    }

    @Test
    @Tag("reproduce")
    void largestNetworkWithADegreeTwoDictionaryFitsInTheHeap() throws InterruptedException {
        // 96 observed states: C(98, 2) = 4,753 functions and 5,000 pairs. Trajectories decay to the few
        // slowest modes within ~20 steps, so many short ones give the quadratic functions more directions
        // than a few long ones; a small Tikhonov λ₂ keeps G numerically positive definite all the same.
        fitAndReport(128, 250, 20, 1e-6);
    }
}
