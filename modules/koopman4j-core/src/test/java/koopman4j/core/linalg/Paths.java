package koopman4j.core.linalg;

/** Runs one path of {@link Expmv} on its own, past the cost model, so that each path is tested. */
final class Paths {
    private Paths() {
    }

    static double[][] taylor(double[][] a, double[][] b, double t) {
        int n = a.length;
        int k = b[0].length;
        double[] fa = RowMajor.square("test", "A", a);
        Expmv.Plan plan = Expmv.plan(fa, n, t, Precision.DOUBLE, k);
        return RowMajor.rows(Expmv.taylor(Blocks.float64(Gemm.plainJava()), fa, RowMajor.block("test", "B", b, n), n, k, t, plan), n, k);
    }

    static float[][] taylor(float[][] a, float[][] b, double t) {
        int n = a.length;
        int k = b[0].length;
        Blocks<float[]> ops = Blocks.float32(Gemm.plainJava());
        float[] fa = RowMajor.square("test", "A", a);
        Expmv.Plan plan = Expmv.plan(ops.toDouble(fa), n, t, Precision.SINGLE, k);
        return RowMajor.rows(Expmv.taylor(ops, fa, RowMajor.block("test", "B", b, n), n, k, t, plan), n, k);
    }

    static double[][] dense(double[][] a, double[][] b, double t) {
        int n = a.length;
        int k = b[0].length;
        return RowMajor.rows(Expmv.dense(Blocks.float64(Gemm.plainJava()), RowMajor.square("test", "A", a),
                RowMajor.block("test", "B", b, n), n, k, t), n, k);
    }

    static float[][] dense(float[][] a, float[][] b, double t) {
        int n = a.length;
        int k = b[0].length;
        return RowMajor.rows(Expmv.dense(Blocks.float32(Gemm.plainJava()), RowMajor.square("test", "A", a),
                RowMajor.block("test", "B", b, n), n, k, t), n, k);
    }
}
