/**
 * Studies that reproduce a paper's experiment end to end with the trainer: {@link
 * koopman4j.validation.study.TransientGrowthStudy} trains the structure-preserving NODE with ETD1 and with
 * IMEX on the transient-growth system of seed 001 §5.1 (Figs. 3–4); {@link koopman4j.validation.study.RobertsonStudy}
 * trains it on the stiff Robertson system of §5.2 (Fig. 5) with and without the autoencoder. Each writes
 * {@code results.csv} (the {@code compare} columns), {@code report.md} and the figures.
 */
package koopman4j.validation.study;
