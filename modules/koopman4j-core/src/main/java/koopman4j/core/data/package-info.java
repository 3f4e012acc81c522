/**
 * Trajectory data: the one data set type ({@link koopman4j.core.data.TrajectorySet}), its CSV and NPY
 * readers and writers, normalisation stored with models, and the error for bad input.
 */
package koopman4j.core.data;
