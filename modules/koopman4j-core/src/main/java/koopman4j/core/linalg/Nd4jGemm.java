package koopman4j.core.linalg;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Gemm} on the ND4J backend found at run time (nd4j-native: OpenBLAS dgemm/sgemm). The left factor
 * is copied off-heap once when bound; each product copies b in and c out, O(n·k) next to the O(n²·k)
 * product. Needs a backend on the classpath: core itself depends on nd4j-api only.
 */
public final class Nd4jGemm implements Gemm {

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public Left64 left(double[] a, int rows, int inner) {
        Bound bound = new Bound(Nd4j.create(a, new long[] {rows, inner}, 'c'), DataType.DOUBLE);
        return (b, cols, c) -> {
            bound.resize(cols);
            bound.b.data().asNioDouble().put(b, 0, inner * cols);
            bound.multiply();
            bound.c.data().asNioDouble().get(c, 0, rows * cols);
        };
    }

    @Override
    public Left32 left(float[] a, int rows, int inner) {
        Bound bound = new Bound(Nd4j.create(a, new long[] {rows, inner}, 'c'), DataType.FLOAT);
        return (b, cols, c) -> {
            bound.resize(cols);
            bound.b.data().asNioFloat().put(b, 0, inner * cols);
            bound.multiply();
            bound.c.data().asNioFloat().get(c, 0, rows * cols);
        };
    }

    /** A bound left factor with off-heap right factor and result reused while the width stays the same. */
    private static final class Bound {
        private final INDArray a;
        private final DataType type;
        private INDArray b;
        private INDArray c;

        Bound(INDArray a, DataType type) {
            this.a = a;
            this.type = type;
        }

        void resize(int cols) {
            if (b == null || b.columns() != cols) {
                b = Nd4j.create(type, new long[] {a.columns(), cols}, 'c');
                c = Nd4j.create(type, new long[] {a.rows(), cols}, 'c');
            }
        }

        void multiply() {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
    }
}
