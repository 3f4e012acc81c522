package koopman4j.validation.edmd;

import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.Normalisation;

/**
 * Everything a fitted built-in dictionary is made of, saved with a model so that it reloads and lifts
 * identically: its kind, the total degree p (polynomial kinds; 0 for rbf), the affine scaling
 * z = (x − mean)/scale applied before the nonlinear functions, and the rbf centres in z coordinates
 * (none for the polynomial kinds).
 */
public record DictionaryParameters(DictionaryKind kind, int degree, Normalisation scaling, double[][] centres) {

    public DictionaryParameters {
        if (kind == null || scaling == null || centres == null) {
            throw new InvalidDataException("dictionary parameters need kind, scaling and centres");
        }
        if (kind.polynomial() && degree < 1) {
            throw new InvalidDataException(kind.id() + " dictionary: degree must be ≥ 1, got " + degree);
        }
        if (kind.polynomial() != (centres.length == 0)) {
            throw new InvalidDataException(kind.id() + " dictionary: " + centres.length + " centres given; "
                    + (kind.polynomial() ? "polynomial dictionaries have none" : "rbf needs at least one"));
        }
        for (double[] c : centres) {
            if (c.length != scaling.dimension()) {
                throw new InvalidDataException("rbf dictionary: a centre has " + c.length + " coordinates, expected " + scaling.dimension());
            }
        }
    }

    /** The dictionary these parameters define. */
    public Dictionary dictionary() {
        return kind.polynomial() ? new PolynomialDictionary(kind, degree, scaling) : new ThinPlateRbfDictionary(scaling, centres);
    }
}
