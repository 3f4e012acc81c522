/**
 * Studies that reproduce a paper's experiment end to end with the trainer: {@link
 * koopman4j.validation.study.TransientGrowthStudy} trains the structure-preserving NODE with ETD1 and with
 * IMEX on the transient-growth system of seed 001 §5.1 and writes {@code results.csv} (the {@code compare}
 * columns), {@code report.md} and the panels of Figs. 3–4.
 */
package koopman4j.validation.study;
