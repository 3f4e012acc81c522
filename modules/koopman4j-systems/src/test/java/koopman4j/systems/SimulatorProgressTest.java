package koopman4j.systems;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import koopman4j.core.data.TrajectorySet;
import org.junit.jupiter.api.Test;

/** {@code simulate}'s progress callback hears each finished trajectory, in order, and changes nothing it samples. */
class SimulatorProgressTest {

    @Test
    void simulatorReportsEveryTrajectoryAndSamplesTheSameData() {
        double[] times = Simulator.uniformTimes(5, 0.1);
        List<Integer> done = new ArrayList<>();
        TrajectorySet heard = new Simulator(new TransientGrowth(1)).simulate(4, times, 9, done::add);
        assertEquals(List.of(1, 2, 3, 4), done);
        assertEquals(new Simulator(new TransientGrowth(1)).simulate(4, times, 9).trajectories(), heard.trajectories());
    }

    @Test
    void kuramotoSivashinskyReportsEveryTrajectory() {
        List<Integer> done = new ArrayList<>();
        new KuramotoSivashinsky(0).simulate(2, new double[] {0, 0.5}, 3, done::add);
        assertEquals(List.of(1, 2), done);
    }
}
