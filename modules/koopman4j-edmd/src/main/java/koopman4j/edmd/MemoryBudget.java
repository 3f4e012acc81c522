package koopman4j.edmd;

import java.util.Locale;
import koopman4j.core.data.InvalidDataException;

/**
 * Refuses an E-DMD fit whose m×m matrices would not fit in this JVM, before anything large is
 * allocated (seed 000 §3.1: the paper's convex solvers ran out of memory on the larger POLS).
 */
public final class MemoryBudget {

    /** m×m matrices at the peak of least squares: G, C, the equilibrated copy of G, Cᵀ solved in place. */
    static final int LEAST_SQUARES_MATRICES = 4;
    /** … and of FISTA: G, C, and K, KĜ, K_prev, K_prevĜ. */
    static final int GROUP_LASSO_MATRICES = 6;
    /** The largest m whose m×m matrix fits one Java array. */
    static final long LARGEST_M = (long) Math.sqrt(Integer.MAX_VALUE - 8);
    private static final double GIB = 1024.0 * 1024 * 1024;

    private MemoryBudget() {
    }

    /** Bytes an E-DMD fit with an m-function dictionary needs: the m×m matrices and the lifted chunks. */
    static double bytes(long m, boolean groupLasso) {
        double matrices = groupLasso ? GROUP_LASSO_MATRICES : LEAST_SQUARES_MATRICES;
        // a chunk of past and future pairs, lifted as rows and copied into a flat matrix
        return 8.0 * m * m * matrices + 8.0 * m * GramMatrices.CHUNK * 4;
    }

    /** Throws when the fit {@code options} asks for on n states cannot fit in this JVM's heap. */
    public static void check(Edmd.Options options, int n) {
        DictionaryKind kind = options.dictionary();
        long m = kind.size(n, options.degree(), options.centres(), options.angles().size());
        double need = bytes(m, options.lambda() > 0);
        Runtime rt = Runtime.getRuntime();
        double max = rt.maxMemory();
        double free = max - (rt.totalMemory() - rt.freeMemory());
        String what = kind.sizedByDegree()
                ? String.format(Locale.ROOT, "E-DMD: %s degree %d on %d states", kind.id(), options.degree(), n)
                : String.format(Locale.ROOT, "E-DMD: rbf with %,d centres on %d states", options.centres(), n);
        String fix = kind.sizedByDegree() ? "lower --degree" : "lower --centres";
        String functions = m == Long.MAX_VALUE ? "more than 9.2e18" : String.format(Locale.ROOT, "%,d", m);
        if (need > free) {
            throw new InvalidDataException(String.format(Locale.ROOT,
                    "%s needs %s GiB for the %s-function dictionary; this JVM has %.1f GiB, %.1f GiB of it free — %s",
                    what, gib(need), functions, max / GIB, free / GIB, fix));
        }
        if (m > LARGEST_M) {
            throw new InvalidDataException(String.format(Locale.ROOT,
                    "%s: the %s-function dictionary's m×m matrices exceed the largest Java array (%,d functions) — %s",
                    what, functions, LARGEST_M, fix));
        }
    }

    private static String gib(double bytes) {
        return String.format(Locale.ROOT, "%,.1f", bytes / GIB);
    }
}
