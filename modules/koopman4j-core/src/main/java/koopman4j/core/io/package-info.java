/**
 * Crash-safe file output: files and whole directories (saved models, checkpoints) written to a
 * temporary name, forced to disk and renamed into place, so a kill leaves the old or the new, never half.
 */
package koopman4j.core.io;
