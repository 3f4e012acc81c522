package koopman4j.trainer.fused;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A row-major float32 or float64 matrix (the owner's data type) inside an ND4J buffer, seen two ways at
 * once: as a pointer and leading dimension for BLAS, and as a direct byte buffer for Java loops.
 * Sub-blocks share the memory, so an engine allocates its arrays once and slices them.
 *
 * @param owner  the ND4J array that owns the memory (kept reachable so it is not freed)
 * @param bytes  the whole buffer, native byte order
 * @param offset first element, in elements from the start of the buffer
 * @param ld     leading dimension: elements from one row's start to the next
 */
record Block(INDArray owner, ByteBuffer bytes, long offset, int rows, int cols, int ld) {

    /** A new zero-filled float32 rows × cols block in memory of its own. */
    static Block allocate(int rows, int cols) {
        return allocate(DataType.FLOAT, rows, cols);
    }

    /** A new zero-filled rows × cols block of {@code type} (FLOAT or DOUBLE) in memory of its own. */
    static Block allocate(DataType type, int rows, int cols) {
        Block whole = over(Nd4j.create(type, Math.max(1, (long) rows * cols)));
        return new Block(whole.owner(), whole.bytes(), 0, rows, cols, cols);
    }

    /** The whole of a contiguous ND4J array, as one row. */
    static Block over(INDArray a) {
        return new Block(a, a.data().asNio().order(ByteOrder.nativeOrder()), a.offset(), 1, (int) a.length(), (int) a.length());
    }

    /** Rows [from, to). */
    Block rows(int from, int to) {
        return new Block(owner, bytes, offset + (long) from * ld, to - from, cols, ld);
    }

    /** Columns [from, to) of every row. */
    Block cols(int from, int to) {
        return new Block(owner, bytes, offset + from, rows, to - from, ld);
    }

    /** Rows [from, from + rows) × cols of a flat vector block, as a contiguous matrix (parameter views). */
    Block reshape(long from, int rows, int cols) {
        return new Block(owner, bytes, offset + from, rows, cols, cols);
    }

    boolean contiguous() {
        return ld == cols || rows == 1;
    }

    long size() {
        return (long) rows * cols;
    }

    boolean isDouble() {
        return owner.dataType() == DataType.DOUBLE;
    }

    /** Byte index of element (row, 0). */
    int rowByte(int row) {
        return (int) ((offset + (long) row * ld) * (isDouble() ? Double.BYTES : Float.BYTES));
    }

    float get(int row, int col) {
        return bytes.getFloat(rowByte(row) + col * Float.BYTES);
    }

    void set(int row, int col, float v) {
        bytes.putFloat(rowByte(row) + col * Float.BYTES, v);
    }

    double getDouble(int row, int col) {
        return bytes.getDouble(rowByte(row) + col * Double.BYTES);
    }

    void setDouble(int row, int col, double v) {
        bytes.putDouble(rowByte(row) + col * Double.BYTES, v);
    }

    /**
     * A pointer to element (0, 0) of a float32 block for BLAS; created per call, cheap and never freed by JavaCPP.
     * For a view, ND4J's buffer address already points at the view's first element while {@link #offset} and
     * {@link #bytes} count from the start of the underlying buffer, so the view's own offset is taken off.
     */
    FloatPointer pointer() {
        return new FloatPointer(owner.data().addressPointer()).position(offset - owner.data().offset());
    }

    /** The same for a float64 block. */
    DoublePointer doublePointer() {
        return new DoublePointer(owner.data().addressPointer()).position(offset - owner.data().offset());
    }
}
