package koopman4j.core.linalg;

import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Gemm} on the ND4J backend found at run time (nd4j-native: OpenBLAS dgemm/sgemm). The left factor
 * is copied off-heap at its first large product; each product copies b in and c out, O(n·k) next to the
 * O(n²·k) product. Products under 4 Mflop stay in plain Java, where the copies and the native call would
 * cost more than they save. Needs a backend on the classpath: core itself depends on nd4j-api only.
 */
public final class Nd4jGemm implements Gemm {
    private static final double SMALL_FLOPS = 1 << 22;

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public Left64 left(double[] a, int rows, int inner) {
        Left64 small = Gemm.plainJava().left(a, rows, inner);
        Bound bound = new Bound(rows, inner, DataType.DOUBLE, () -> Nd4j.create(a, new long[] {rows, inner}, 'c'));
        return (b, cols, c) -> {
            if (2.0 * rows * inner * cols < SMALL_FLOPS) {
                small.times(b, cols, c);
                return;
            }
            bound.resize(cols);
            bound.b.data().asNioDouble().put(b, 0, inner * cols);
            bound.multiply();
            bound.c.data().asNioDouble().get(c, 0, rows * cols);
        };
    }

    @Override
    public Left32 left(float[] a, int rows, int inner) {
        Left32 small = Gemm.plainJava().left(a, rows, inner);
        Bound bound = new Bound(rows, inner, DataType.FLOAT, () -> Nd4j.create(a, new long[] {rows, inner}, 'c'));
        return (b, cols, c) -> {
            if (2.0 * rows * inner * cols < SMALL_FLOPS) {
                small.times(b, cols, c);
                return;
            }
            bound.resize(cols);
            bound.b.data().asNioFloat().put(b, 0, inner * cols);
            bound.multiply();
            bound.c.data().asNioFloat().get(c, 0, rows * cols);
        };
    }

    /** A left factor copied off-heap on first use, with right factor and result reused while the width stays. */
    private static final class Bound {
        private final int rows;
        private final int inner;
        private final DataType type;
        private final Supplier<INDArray> copy;
        private INDArray a;
        private INDArray b;
        private INDArray c;

        Bound(int rows, int inner, DataType type, Supplier<INDArray> copy) {
            this.rows = rows;
            this.inner = inner;
            this.type = type;
            this.copy = copy;
        }

        void resize(int cols) {
            if (a == null) {
                a = copy.get();
            }
            if (b == null || b.columns() != cols) {
                b = Nd4j.create(type, new long[] {inner, cols}, 'c');
                c = Nd4j.create(type, new long[] {rows, cols}, 'c');
            }
        }

        void multiply() {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
    }
}
