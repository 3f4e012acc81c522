/** Benchmark timing records shared by every {@code koopman4j bench} target. */
package koopman4j.core.bench;
