package koopman4j.trainer.fused;

import org.bytedeco.openblas.global.openblas_nolapack;

/** Matrix products on {@link Block}s through OpenBLAS's CBLAS, the library ND4J's CPU backend runs on. */
final class Blas {

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private Blas() {
    }

    /** C = α·op(A)·op(B) + β·C, in the blocks' precision (sgemm or dgemm; all three of one type). */
    static void gemm(boolean transA, boolean transB, double alpha, Block a, Block b, double beta, Block c) {
        int inner = transA ? a.rows() : a.cols();
        if ((transA ? a.cols() : a.rows()) != c.rows() || (transB ? b.rows() : b.cols()) != c.cols()
                || (transB ? b.cols() : b.rows()) != inner) {
            throw new IllegalArgumentException("gemm shapes: " + a.rows() + "x" + a.cols() + (transA ? "ᵀ" : "") + " · "
                    + b.rows() + "x" + b.cols() + (transB ? "ᵀ" : "") + " → " + c.rows() + "x" + c.cols());
        }
        if (c.rows() == 0 || c.cols() == 0) {
            return;
        }
        if (c.isDouble()) {
            openblas_nolapack.cblas_dgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, c.rows(), c.cols(), inner,
                    alpha, a.doublePointer(), a.ld(), b.doublePointer(), b.ld(), beta, c.doublePointer(), c.ld());
        } else {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, c.rows(), c.cols(), inner,
                    (float) alpha, a.pointer(), a.ld(), b.pointer(), b.ld(), (float) beta, c.pointer(), c.ld());
        }
    }

    /** sums = Aᵀ·ones: the column sums of A (a bias gradient); {@code ones} holds at least A.rows() ones. */
    static void columnSums(Block a, Block ones, Block sums) {
        columnSums(a, ones, 0, sums);
    }

    /** sums = Aᵀ·ones + β·sums (β = 1 accumulates over calls). */
    static void columnSums(Block a, Block ones, double beta, Block sums) {
        if (a.isDouble()) {
            openblas_nolapack.cblas_dgemv(ROW_MAJOR, TRANS, a.rows(), a.cols(), 1, a.doublePointer(), a.ld(), ones.doublePointer(), 1,
                    beta, sums.doublePointer(), 1);
        } else {
            openblas_nolapack.cblas_sgemv(ROW_MAJOR, TRANS, a.rows(), a.cols(), 1f, a.pointer(), a.ld(), ones.pointer(), 1,
                    (float) beta, sums.pointer(), 1);
        }
    }
}
