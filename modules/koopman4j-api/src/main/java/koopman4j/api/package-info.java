/**
 * The Java API: fit Deep DMD ({@link koopman4j.api.DeepDmd}), the SP-NODE ({@link koopman4j.api.SpNode})
 * and E-DMD ({@code koopman4j.edmd.Edmd.fit}) on trajectories in memory, each returning an immutable
 * {@link koopman4j.core.model.KoopmanModel}; load any saved model ({@link koopman4j.api.Models});
 * run a YAML training job into a directory ({@link koopman4j.api.TrainJob}, what {@code train} runs).
 */
package koopman4j.api;
