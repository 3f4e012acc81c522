/**
 * Figures for notebooks and reports ({@link koopman4j.charts.Figures}): a forecast against the truth, a
 * spectrum against its stability boundary, a training curve, ‖e^{tA}‖ over time; each a
 * {@link koopman4j.charts.Figure} to show as an image or save as a PNG. Depends on core and JFreeChart only.
 */
package koopman4j.charts;
