package koopman4j.core.linalg;

/**
 * Arithmetic on row-major blocks in one working precision, so that {@link Expmv} and {@link Expm} are
 * written once for float32 and float64. V is {@code double[]} or {@code float[]}; scalars arrive as
 * double and are rounded to the working precision before use, norms are accumulated in double.
 */
abstract sealed class Blocks<V> permits Blocks.Float64, Blocks.Float32 {

    /** A bound left factor: c ← A·b. */
    @FunctionalInterface
    interface Left<V> {
        void times(V b, int cols, V c);
    }

    static Blocks<double[]> float64(Gemm gemm) {
        return new Float64(gemm);
    }

    static Blocks<float[]> float32(Gemm gemm) {
        return new Float32(gemm);
    }

    final Gemm gemm;

    private Blocks(Gemm gemm) {
        this.gemm = gemm;
    }

    abstract Precision precision();

    abstract V zeros(int size);

    abstract V copy(V x);

    abstract V identity(int n);

    /** to ← from, same length. */
    abstract void assign(V from, V to);

    abstract Left<V> left(V a, int rows, int inner);

    /** x ← αx. */
    abstract void scale(double alpha, V x);

    /** y ← y + αx. */
    abstract void axpy(double alpha, V x, V y);

    /** x ← x + αI for square x of order n. */
    abstract void addDiagonal(double alpha, V x, int n);

    /** ‖x‖∞: the largest absolute row sum. */
    abstract double normInf(V x, int rows, int cols);

    /** ‖x‖₁: the largest absolute column sum. */
    abstract double norm1(V x, int rows, int cols);

    abstract double trace(V x, int n);

    /** The values of x in double (for norm estimation, which may run in higher precision). */
    abstract double[] toDouble(V x);

    /** Σ c_i x_i, the linear combinations of the optimized Taylor evaluations. */
    final V combination(double[] c, V[] x) {
        V sum = zeros(length(x[0]));
        for (int i = 0; i < c.length; i++) {
            if (c[i] != 0) {
                axpy(c[i], x[i], sum);
            }
        }
        return sum;
    }

    abstract int length(V x);

    /** c ← a·b for square a, b of order n (a fresh c). */
    final V product(V a, V b, int n) {
        V c = zeros(n * n);
        left(a, n, n).times(b, n, c);
        return c;
    }

    static final class Float64 extends Blocks<double[]> {
        Float64(Gemm gemm) {
            super(gemm);
        }

        @Override
        Precision precision() {
            return Precision.DOUBLE;
        }

        @Override
        double[] zeros(int size) {
            return new double[size];
        }

        @Override
        double[] copy(double[] x) {
            return x.clone();
        }

        @Override
        double[] identity(int n) {
            double[] x = new double[n * n];
            addDiagonal(1, x, n);
            return x;
        }

        @Override
        void assign(double[] from, double[] to) {
            System.arraycopy(from, 0, to, 0, from.length);
        }

        @Override
        int length(double[] x) {
            return x.length;
        }

        @Override
        Left<double[]> left(double[] a, int rows, int inner) {
            return gemm.left(a, rows, inner)::times;
        }

        @Override
        void scale(double alpha, double[] x) {
            for (int i = 0; i < x.length; i++) {
                x[i] *= alpha;
            }
        }

        @Override
        void axpy(double alpha, double[] x, double[] y) {
            for (int i = 0; i < x.length; i++) {
                y[i] += alpha * x[i];
            }
        }

        @Override
        void addDiagonal(double alpha, double[] x, int n) {
            for (int i = 0; i < n; i++) {
                x[i * n + i] += alpha;
            }
        }

        @Override
        double normInf(double[] x, int rows, int cols) {
            double max = 0;
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int j = i * cols; j < (i + 1) * cols; j++) {
                    sum += Math.abs(x[j]);
                }
                max = Math.max(max, sum);
            }
            return max;
        }

        @Override
        double norm1(double[] x, int rows, int cols) {
            double[] sums = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    sums[j] += Math.abs(x[i * cols + j]);
                }
            }
            return max(sums);
        }

        @Override
        double trace(double[] x, int n) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x[i * n + i];
            }
            return sum;
        }

        @Override
        double[] toDouble(double[] x) {
            return x;
        }
    }

    static final class Float32 extends Blocks<float[]> {
        Float32(Gemm gemm) {
            super(gemm);
        }

        @Override
        Precision precision() {
            return Precision.SINGLE;
        }

        @Override
        float[] zeros(int size) {
            return new float[size];
        }

        @Override
        float[] copy(float[] x) {
            return x.clone();
        }

        @Override
        float[] identity(int n) {
            float[] x = new float[n * n];
            addDiagonal(1, x, n);
            return x;
        }

        @Override
        void assign(float[] from, float[] to) {
            System.arraycopy(from, 0, to, 0, from.length);
        }

        @Override
        int length(float[] x) {
            return x.length;
        }

        @Override
        Left<float[]> left(float[] a, int rows, int inner) {
            return gemm.left(a, rows, inner)::times;
        }

        @Override
        void scale(double alpha, float[] x) {
            float a = (float) alpha;
            for (int i = 0; i < x.length; i++) {
                x[i] *= a;
            }
        }

        @Override
        void axpy(double alpha, float[] x, float[] y) {
            float a = (float) alpha;
            for (int i = 0; i < x.length; i++) {
                y[i] += a * x[i];
            }
        }

        @Override
        void addDiagonal(double alpha, float[] x, int n) {
            float a = (float) alpha;
            for (int i = 0; i < n; i++) {
                x[i * n + i] += a;
            }
        }

        @Override
        double normInf(float[] x, int rows, int cols) {
            double max = 0;
            for (int i = 0; i < rows; i++) {
                double sum = 0;
                for (int j = i * cols; j < (i + 1) * cols; j++) {
                    sum += Math.abs(x[j]);
                }
                max = Math.max(max, sum);
            }
            return max;
        }

        @Override
        double norm1(float[] x, int rows, int cols) {
            double[] sums = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    sums[j] += Math.abs(x[i * cols + j]);
                }
            }
            return max(sums);
        }

        @Override
        double trace(float[] x, int n) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x[i * n + i];
            }
            return sum;
        }

        @Override
        double[] toDouble(float[] x) {
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = x[i];
            }
            return d;
        }
    }

    private static double max(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
