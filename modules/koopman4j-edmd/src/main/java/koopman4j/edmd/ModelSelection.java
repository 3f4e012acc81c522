package koopman4j.edmd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.metrics.ErrorMetrics;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.ejml.data.DMatrixRMaj;

/**
 * E-DMD model selection over dictionaries, sizes and λ, two ways side by side:
 * <ul>
 *   <li>the paper's protocol (seed 000 §2.1, §3.1): keep the best one-step <em>training</em> error;</li>
 *   <li>the best one-step error on <em>held-out</em> trajectories.</li>
 * </ul>
 * The first rewards the largest, least regularised dictionary whatever it does on new data; the
 * second measures forecast skill. Both choices are returned with every candidate's errors, so a
 * report can show what the paper's rule picked and what it cost.
 *
 * <p>Per dictionary and size the dictionary, G and C are computed once; the λ values (fractions of
 * that dictionary's λ_max, largest first) are then solved with warm starts, 0 by least squares.
 */
public final class ModelSelection {

    private static final Logger LOG = LogManager.getLogger(ModelSelection.class);

    /**
     * The sweep: {@code dictionaries} × sizes ({@code degrees} for the polynomial kinds and trig,
     * {@code centres} for rbf) × λ = fraction·λ_max for each of {@code lambdaFractions} (0 is least
     * squares, 1 gives K = 0), with Tikhonov {@code tikhonov}, rbf seed {@code seed} and the angle
     * states {@code angles} of trig (1-based).
     */
    public record Grid(List<DictionaryKind> dictionaries, List<Integer> degrees, List<Integer> centres, List<Integer> angles,
                       List<Double> lambdaFractions, double tikhonov, long seed) {

        public Grid {
            dictionaries = List.copyOf(dictionaries);
            degrees = List.copyOf(degrees);
            centres = List.copyOf(centres);
            angles = angles == null ? List.of() : List.copyOf(angles);
            lambdaFractions = lambdaFractions.stream().sorted(Comparator.reverseOrder()).toList();
            if (dictionaries.isEmpty() || lambdaFractions.isEmpty()) {
                throw new InvalidDataException("model selection needs at least one dictionary and one λ fraction");
            }
            if (dictionaries.stream().anyMatch(DictionaryKind::sizedByDegree) && degrees.isEmpty()) {
                throw new InvalidDataException("model selection: polynomial and trig dictionaries need at least one degree");
            }
            if (dictionaries.stream().anyMatch(DictionaryKind::needsAngles) && angles.isEmpty()) {
                throw new InvalidDataException("model selection: the trig dictionary needs the angle states (angles: 1-based state numbers)");
            }
            if (dictionaries.contains(DictionaryKind.RBF) && centres.isEmpty()) {
                throw new InvalidDataException("model selection: the rbf dictionary needs at least one centre count");
            }
            for (double f : lambdaFractions) {
                if (!(f >= 0 && f <= 1)) {
                    throw new InvalidDataException("model selection: λ fractions must be in [0, 1], got " + f);
                }
            }
        }
    }

    /**
     * One candidate, its λ as a fraction of λ_max and its one-step errors in percent; NaN errors and a
     * {@code failure} when it could not be fitted ({@code options.lambda()} is then 0 if λ_max was
     * never computed).
     */
    public record Candidate(Edmd.Options options, double lambdaFraction, double trainOneStepPct, double heldOutOneStepPct,
                            String failure) {
    }

    /** A selected candidate and its model. */
    public record Choice(Candidate candidate, Edmd model) {
    }

    /** The paper's choice (best training error), the held-out choice, and every candidate in sweep order. */
    public record Result(Choice paper, Choice heldOut, List<Candidate> candidates) {
    }

    private ModelSelection() {
    }

    public static Result sweep(TrajectorySet train, TrajectorySet heldOut, Grid grid) {
        if (!train.names().equals(heldOut.names())) {
            throw new InvalidDataException("model selection: held-out states " + heldOut.names() + " differ from training states " + train.names());
        }
        List<Candidate> candidates = new ArrayList<>();
        Choice paper = null;
        Choice held = null;
        for (DictionaryKind kind : grid.dictionaries()) {
            for (int size : kind.sizedByDegree() ? grid.degrees() : grid.centres()) {
                int degree = kind.sizedByDegree() ? size : 0;
                int centres = kind.sizedByDegree() ? 0 : size;
                DictionaryParameters parameters;
                GramMatrices gram;
                double lambdaMax;
                try {
                    MemoryBudget.check(new Edmd.Options(kind, degree, centres, grid.angles(), grid.lambdaFractions().get(0),
                            grid.tikhonov(), grid.seed()), train.dimension());
                    parameters = kind.fit(train, degree, centres, grid.angles(), grid.seed());
                    gram = GramMatrices.of(parameters.dictionary(), train);
                    lambdaMax = GroupLasso.lambdaMax(gram);
                } catch (InvalidDataException e) {
                    for (double f : grid.lambdaFractions()) {
                        candidates.add(failed(new Edmd.Options(kind, degree, centres, grid.angles(), 0, grid.tikhonov(), grid.seed()), f, e));
                    }
                    continue;
                }
                DMatrixRMaj warm = null;
                for (double f : grid.lambdaFractions()) {
                    Edmd.Options options = new Edmd.Options(kind, degree, centres, grid.angles(), f * lambdaMax, grid.tikhonov(), grid.seed());
                    try {
                        Edmd.Fitted fitted = Edmd.fit(train, options, parameters, gram, warm);
                        warm = fitted.koopman();
                        Candidate c = new Candidate(options, f, ErrorMetrics.oneStepErrorPct(fitted.model(), train),
                                ErrorMetrics.oneStepErrorPct(fitted.model(), heldOut), null);
                        candidates.add(c);
                        LOG.info("model selection: {} degree {} centres {} λ = {}·λ_max: train {}%, held-out {}%",
                                kind.id(), degree, centres, f, c.trainOneStepPct(), c.heldOutOneStepPct());
                        if (paper == null || c.trainOneStepPct() < paper.candidate().trainOneStepPct()) {
                            paper = new Choice(c, fitted.model());
                        }
                        if (held == null || c.heldOutOneStepPct() < held.candidate().heldOutOneStepPct()) {
                            held = new Choice(c, fitted.model());
                        }
                    } catch (InvalidDataException e) {
                        candidates.add(failed(options, f, e));
                    }
                }
            }
        }
        if (paper == null) {
            throw new InvalidDataException("model selection: no candidate could be fitted; the first failed with: " + candidates.get(0).failure());
        }
        return new Result(paper, held, candidates);
    }

    private static Candidate failed(Edmd.Options options, double lambdaFraction, InvalidDataException e) {
        LOG.warn("model selection: {} at λ = {}·λ_max skipped: {}", options, lambdaFraction, e.getMessage());
        return new Candidate(options, lambdaFraction, Double.NaN, Double.NaN, e.getMessage());
    }
}
