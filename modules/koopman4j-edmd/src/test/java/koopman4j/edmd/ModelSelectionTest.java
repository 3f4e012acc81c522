package koopman4j.edmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import koopman4j.systems.PartiallyObservedLinearSystem;
import org.junit.jupiter.api.Test;

class ModelSelectionTest {

    @Test
    void returnsThePapersChoiceAndTheHeldOutChoiceWithTheirErrors() {
        var system = PartiallyObservedLinearSystem.generate(PartiallyObservedLinearSystem.Options.of(8, 0.25, 5));
        TrajectorySet train = system.simulate(20, 40, 1);
        TrajectorySet heldOut = system.simulate(10, 40, 2);
        var grid = new ModelSelection.Grid(List.of(DictionaryKind.LEGENDRE, DictionaryKind.HERMITE, DictionaryKind.RBF),
                List.of(1, 2), List.of(20), List.of(), List.of(0.0, 0.01, 0.1), 0, 3);
        ModelSelection.Result result = ModelSelection.sweep(train, heldOut, grid);

        assertEquals(2 * 2 * 3 + 3, result.candidates().size());
        double bestTrain = result.candidates().stream().mapToDouble(ModelSelection.Candidate::trainOneStepPct).min().orElseThrow();
        double bestHeldOut = result.candidates().stream().mapToDouble(ModelSelection.Candidate::heldOutOneStepPct).min().orElseThrow();
        assertEquals(bestTrain, result.paper().candidate().trainOneStepPct());
        assertEquals(bestHeldOut, result.heldOut().candidate().heldOutOneStepPct());
        assertEquals(bestHeldOut, ErrorMetrics.oneStepErrorPct(result.heldOut().model(), heldOut), 1e-12);
        for (ModelSelection.Candidate c : result.candidates()) {
            assertNull(c.failure());
            assertEquals(c.lambdaFraction() == 0, c.options().lambda() == 0);
        }
        assertTrue(result.paper().candidate().trainOneStepPct() <= result.heldOut().candidate().trainOneStepPct());
    }
}
