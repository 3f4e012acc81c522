package koopman4j.edmd;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;

/**
 * Everything a fitted built-in dictionary is made of, saved with a model so that it reloads and lifts
 * identically: its kind, the total degree p (polynomial kinds; the number of harmonics for trig; 0 for
 * rbf), the affine scaling z = (x − mean)/scale applied before the nonlinear functions (the identity
 * for trig), the rbf centres in z coordinates (none for the other kinds) and the 1-based numbers of
 * the angle states (trig only; none, or absent in a saved model, for the others).
 */
public record DictionaryParameters(DictionaryKind kind, int degree, Normalisation scaling, double[][] centres, int[] angles) {

    public DictionaryParameters {
        if (kind == null || scaling == null || centres == null) {
            throw new InvalidDataException("dictionary parameters need kind, scaling and centres");
        }
        angles = angles == null ? new int[0] : angles.clone();
        if (kind.sizedByDegree() && degree < 1) {
            throw new InvalidDataException(kind.id() + " dictionary: degree must be ≥ 1, got " + degree);
        }
        if (kind.sizedByDegree() != (centres.length == 0)) {
            throw new InvalidDataException(kind.id() + " dictionary: " + centres.length + " centres given; "
                    + (kind.sizedByDegree() ? kind.id() + " dictionaries have none" : "rbf needs at least one"));
        }
        for (double[] c : centres) {
            if (c.length != scaling.dimension()) {
                throw new InvalidDataException("rbf dictionary: a centre has " + c.length + " coordinates, expected " + scaling.dimension());
            }
        }
        checkAngles(kind, angles, scaling.dimension());
    }

    /** Trig needs at least one angle, each a distinct state number in 1 … n; the other kinds take none. */
    private static void checkAngles(DictionaryKind kind, int[] angles, int n) {
        if (!kind.needsAngles()) {
            if (angles.length > 0) {
                throw new InvalidDataException(kind.id() + " dictionary: angles " + Arrays.toString(angles) + " given; only trig takes angles");
            }
            return;
        }
        if (angles.length == 0) {
            throw new InvalidDataException("trig dictionary: give the angle states (angles: 1-based state numbers)");
        }
        Set<Integer> seen = new HashSet<>();
        for (int a : angles) {
            if (a < 1 || a > n) {
                throw new InvalidDataException("trig dictionary: angle state " + a + " does not exist; the states are numbered 1 … " + n);
            }
            if (!seen.add(a)) {
                throw new InvalidDataException("trig dictionary: angle state " + a + " is given twice");
            }
        }
    }

    /** The dictionary these parameters define. */
    public Dictionary dictionary() {
        return switch (kind) {
            case LEGENDRE, HERMITE, MONOMIAL -> new PolynomialDictionary(kind, degree, scaling);
            case RBF -> new ThinPlateRbfDictionary(scaling, centres);
            case TRIG -> new TrigDictionary(scaling.dimension(), degree, angles);
        };
    }
}
