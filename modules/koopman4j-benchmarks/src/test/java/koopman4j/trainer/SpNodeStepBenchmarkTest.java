package koopman4j.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import koopman4j.core.data.InvalidDataException;
import org.junit.jupiter.api.Test;

class SpNodeStepBenchmarkTest {

    @Test
    void refusesUnknownProblemsAndTheGemmEngineWithTheReason() {
        InvalidDataException unknown = assertThrows(InvalidDataException.class, () -> SpNodeStepBenchmark.Problem.parse("lorenz"));
        assertEquals("unknown sp-node problem 'lorenz'; expected transient-growth or ks", unknown.getMessage());
        assertEquals(SpNodeStepBenchmark.Problem.TRANSIENT_GROWTH, SpNodeStepBenchmark.Problem.parse(" Transient-Growth "));
        InvalidDataException gemm = assertThrows(InvalidDataException.class,
                () -> SpNodeStepBenchmark.run(TrainStepBenchmark.Engine.GEMM, List.of(SpNodeStepBenchmark.Problem.KS), 1, 1));
        assertEquals("spnode-step: engines are fused and samediff", gemm.getMessage());
    }

    @Test
    void trainStepRefusesAnUnknownEngineWithTheChoices() {
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> TrainStepBenchmark.Engine.parse("torch"));
        assertEquals("unknown engine 'torch'; expected fused, samediff or gemm", e.getMessage());
        assertEquals(TrainStepBenchmark.Engine.SAMEDIFF, TrainStepBenchmark.Engine.parse(" SameDiff "));
    }
}
