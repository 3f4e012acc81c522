package koopman4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import koopman4j.api.TrainJob;
import koopman4j.charts.Figure;
import koopman4j.charts.Figures;
import koopman4j.core.data.Trajectory;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ContinuousForecaster;
import koopman4j.core.model.KoopmanModel;
import koopman4j.layers.DeepKoopman;
import koopman4j.layers.spnode.StructurePreservingNode;
import koopman4j.trainer.TrainingListener;
import koopman4j.trainer.TrainingProgress;

/**
 * {@code train --plots}: the figures of a finished run, as PNG and SVG in {@code OUT/plots/}: the forecast from the
 * first test trajectory's first sample against it ({@code forecast}), the training curve ({@code training-curve}),
 * the eigenvalues of K against the unit circle or of A_L against Re z = μ ({@code eigenvalues}); for Deep DMD the
 * learned dictionary functions' responses to perturbations along each observable ({@code dictionary-responses},
 * seed 000 Fig. 3), for the SP-NODE ‖e^{tA_L}‖ ({@code transient-growth}, as seed 001 Fig. 2 draws it for A_bump).
 */
final class TrainPlots implements TrainingListener {

    static final String DIR = "plots";
    /** Points per observable in the dictionary-responses sweep. */
    static final int RESPONSE_POINTS = 81;

    private final List<TrainingProgress> evaluations = new ArrayList<>();

    /** Keeps each evaluation for the training curve. */
    @Override
    public void evaluated(TrainingProgress progress) {
        evaluations.add(progress);
    }

    /** Writes the run's figures into {@code run/plots/}. */
    void write(Path run, TrainJob.Outcome outcome) throws IOException {
        Path dir = run.resolve(DIR);
        KoopmanModel model = outcome.model();
        TrajectorySet test = outcome.data().test().size() > 0 ? outcome.data().test() : outcome.data().train();
        save(forecast(model, test.trajectories().get(0)), dir, "forecast");
        int[] steps = evaluations.stream().mapToInt(TrainingProgress::step).toArray();
        double[] loss = evaluations.stream().mapToDouble(TrainingProgress::loss).toArray();
        double[] score = evaluations.stream().mapToDouble(TrainingProgress::validationScore).toArray();
        if (model instanceof DeepKoopman ddmd) {
            save(Figures.trainingCurve("Deep DMD training", steps, loss, score,
                    "validation rollout + one-step error (%)"), dir, "training-curve");
            save(Figures.discreteSpectrum("eigenvalues of K", ddmd.koopmanMatrix()), dir, "eigenvalues");
            save(Figures.dictionaryResponses("Deep DMD dictionary about the training mean, h = 2 s.d.",
                    ddmd.dictionaryResponses(RESPONSE_POINTS)), dir, "dictionary-responses");
        } else if (model instanceof StructurePreservingNode spNode) {
            save(Figures.trainingCurve("SP-NODE training", steps, loss, score, "validation eq. 20 loss"), dir,
                    "training-curve");
            double[][] a = spNode.linearOperator();
            save(Figures.continuousSpectrum("eigenvalues of A_L", a, spNode.options().linear().mu()), dir, "eigenvalues");
            Trajectory shown = test.trajectories().get(0);
            double span = shown.times()[shown.length() - 1] - shown.times()[0];
            save(Figures.normOfExponential("transient growth of the learned A_L", Map.of("A_L", a), span > 0 ? span : 1), dir,
                    "transient-growth");
        }
    }

    /** The model's forecast from the trajectory's first (prepared) state against the trajectory. */
    static Figure forecast(KoopmanModel model, Trajectory measured) {
        Trajectory truth = model.prepare(new TrajectorySet(model.stateNames(), List.of(measured))).trajectories().get(0);
        int n = model.stateNames().size();
        double[][] truthStates = Arrays.stream(truth.states()).map(x -> Arrays.copyOf(x, n)).toArray(double[][]::new);
        double[] x0 = truth.states()[0];
        Trajectory forecast;
        if (model instanceof ContinuousForecaster ode) { // along the truth's own times, of any spacing
            forecast = new Trajectory(truth.times(), ode.forecast(new double[][] {x0}, truth.times())[0]);
        } else {
            Trajectory p = model.predict(x0, truth.length() - 1);
            double[] times = p.times().clone();
            double step = truth.length() > 1 ? truth.times()[1] - truth.times()[0] : 1;
            for (int k = 0; k < times.length; k++) {
                times[k] = truth.times()[0] + k * step; // K advances one sample step of the data it was trained on
            }
            forecast = new Trajectory(times, p.states());
        }
        return Figures.forecast("forecast from the first test sample", model.stateNames(), new Trajectory(truth.times(), truthStates),
                forecast);
    }

    private static void save(Figure figure, Path dir, String name) throws IOException {
        figure.savePng(dir.resolve(name + ".png"));
        figure.saveSvg(dir.resolve(name + ".svg"));
    }
}
