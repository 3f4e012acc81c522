package koopman4j.core.linalg;

/**
 * The dense matrix product C = A·B on row-major arrays that {@link Expmv} and {@link Expm} spend their
 * time in. A left factor is bound once and then multiplied by many right factors (the Taylor recurrence
 * multiplies one A by s·m blocks), so an implementation may move A to where it computes only once.
 *
 * <p>{@link #plainJava()} needs nothing but the JVM; {@link Nd4jGemm} hands the products to the ND4J
 * backend on the classpath (OpenBLAS for nd4j-native).
 */
public interface Gemm {

    /** A bound double-precision left factor A (rows × inner). */
    @FunctionalInterface
    interface Left64 {
        /** c ← A·b, where b is inner × cols and c is rows × cols, both row-major. */
        void times(double[] b, int cols, double[] c);
    }

    /** A bound single-precision left factor A (rows × inner). */
    @FunctionalInterface
    interface Left32 {
        /** c ← A·b in float32 arithmetic, where b is inner × cols and c is rows × cols, both row-major. */
        void times(float[] b, int cols, float[] c);
    }

    /**
     * Binds a (rows × inner, row-major); the caller must not change a while the result is in use, and c
     * must share no storage with a or b. A bound factor is for one thread at a time.
     */
    Left64 left(double[] a, int rows, int inner);

    /** As {@link #left(double[], int, int)}, in single precision. */
    Left32 left(float[] a, int rows, int inner);

    /** A short name for logs and benchmark parameters. */
    String name();

    /** The blocked plain-Java product, parallel over rows on the common fork-join pool. */
    static Gemm plainJava() {
        return JavaGemm.INSTANCE;
    }
}
