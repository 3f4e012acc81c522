package koopman4j.validation.compare;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A {@code compare} config (YAML, read by the trainer's {@code ConfigLoader}: unknown keys rejected).
 * Every {@link Row} is one data set and one train/validation/test split on which Deep DMD and E-DMD
 * are both fitted; {@link Comparison#validate} checks the meaning of every field before any work.
 *
 * @param methods        which methods run: {@code ddmd}, {@code edmd} or both (default both)
 * @param rolloutHorizon h of {@code test_rollout_pct} in results.csv (default 100; a shorter test
 *                       trajectory is rolled out over its length and the effective h is reported)
 * @param eigenMaxSize   largest dictionary size m whose K is eigen-analysed and certified (ρ(K), γ(K); O(m³); default 1000)
 * @param errorHorizons  horizons h of the test rollout error against horizon (results.csv's {@code test_rollout_pct_<h>}
 *                       columns and report.md's table; default none)
 * @param experiments    the experiments, e.g. glycolysis and POLS
 */
public record CompareConfig(List<String> methods, Integer rolloutHorizon, Integer eigenMaxSize, List<Integer> errorHorizons,
                            @JsonProperty(required = true) List<Experiment> experiments) {

    public CompareConfig {
        methods = methods == null ? List.of("ddmd", "edmd") : List.copyOf(methods);
        rolloutHorizon = rolloutHorizon == null ? 100 : rolloutHorizon;
        eigenMaxSize = eigenMaxSize == null ? 1000 : eigenMaxSize;
        errorHorizons = errorHorizons == null ? List.of() : List.copyOf(errorHorizons);
        experiments = experiments == null ? List.of() : List.copyOf(experiments);
    }

    /**
     * One experiment (a block of Table 1): its rows share the E-DMD sweep {@code edmd}, which a row may
     * replace. {@code rowLabel} heads the rows' column in report.md (e.g. "Species measured");
     * {@code figure}: draw the Fig. 4 panels (rows × {E-DMD, D-DMD}); default true. {@code figureStates}: the
     * states of each panel by name, one group per panel column (Fig. 5: [[delta1, delta2, delta3], [omega1, omega2,
     * omega3]]); default one panel of the first {@value Charts#MAX_STATES} states.
     */
    public record Experiment(@JsonProperty(required = true) String name, String rowLabel, EdmdSweep edmd,
                             @JsonProperty(required = true) List<Row> rows, Boolean figure, List<List<String>> figureStates) {
        public Experiment {
            rowLabel = rowLabel == null ? "Row" : rowLabel;
            rows = rows == null ? List.of() : List.copyOf(rows);
            figure = figure == null || figure;
            figureStates = figureStates == null ? List.of() : figureStates.stream().map(g -> g == null ? List.<String>of() : List.copyOf(g)).toList();
        }
    }

    /**
     * One row of Table 1: {@code train} is a Deep DMD train config (path relative to the compare config's
     * folder), {@code set} its {@code key.path=value} overrides (as {@code train --set}); its
     * {@code data} section gives the data and the split for both methods. {@code pols}, when given,
     * replaces the data source by a partially observed linear system. {@code edmd} replaces the
     * experiment's sweep; {@code paper} holds the seed's figures shown beside ours.
     */
    public record Row(@JsonProperty(required = true) String name, @JsonProperty(required = true) String train,
                      List<String> set, Pols pols, EdmdSweep edmd, Paper paper) {
        public Row {
            set = set == null ? List.of() : List.copyOf(set);
        }
    }

    /**
     * A POLS data set (seed 000 §3.1): {@code nodes}, {@code latentFraction} hidden, {@code trajectories}
     * of {@code steps} steps; the system is drawn with {@code seed}, the initial states with seed + 1.
     */
    public record Pols(Integer nodes, Double latentFraction, Integer trajectories, Integer steps, Long seed) {
    }

    /**
     * The E-DMD sweep of {@link koopman4j.edmd.ModelSelection}: dictionaries by name, total
     * degrees (polynomial kinds; numbers of harmonics for trig), rbf centre counts, the angle states of
     * trig (1-based numbers of the states E-DMD sees, as {@code data.observe}), λ as fractions of
     * λ_max (0: least squares), Tikhonov λ₂ (default 0) and the k-means seed (default 1).
     */
    public record EdmdSweep(@JsonProperty(required = true) List<String> dictionaries, List<Integer> degrees,
                            List<Integer> centres, List<Integer> angles, @JsonProperty(required = true) List<Double> lambdaFractions,
                            Double tikhonov, Long seed) {
        public EdmdSweep {
            tikhonov = tikhonov == null ? 0.0 : tikhonov;
            seed = seed == null ? 1L : seed;
            dictionaries = dictionaries == null ? List.of() : List.copyOf(dictionaries);
            degrees = degrees == null ? List.of() : List.copyOf(degrees);
            centres = centres == null ? List.of() : List.copyOf(centres);
            angles = angles == null ? List.of() : List.copyOf(angles);
            lambdaFractions = lambdaFractions == null ? List.of() : List.copyOf(lambdaFractions);
        }
    }

    /** The seed's Table 1 figures for a row, as printed there (e.g. "2.67%", "&lt;1%"). */
    public record Paper(String edmdTrain, String edmdTest, String ddmdTrain, String ddmdTest) {
    }
}
