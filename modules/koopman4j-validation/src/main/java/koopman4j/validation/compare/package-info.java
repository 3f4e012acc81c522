/**
 * The {@code compare} harness (seed 000 §3.1, §3.2, Table 1, Fig. 4): Deep DMD trained through the
 * trainer and E-DMD selected by {@link koopman4j.edmd.ModelSelection} on the same data and
 * split, written as {@code results.csv}, {@code report.md}, PNG figures and per-model eigen JSON.
 */
package koopman4j.validation.compare;
