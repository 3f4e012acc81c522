/**
 * Benchmark timing records shared by every {@code koopman4j bench} target. The targets themselves live in this
 * module under the packages of what they time ({@code koopman4j.core.linalg}, {@code koopman4j.core.stability},
 * {@code koopman4j.edmd}, {@code koopman4j.trainer}), so that they reach the package-private kernels as those
 * packages' tests do, while the library jars carry no benchmark code.
 */
package koopman4j.benchmarks;
