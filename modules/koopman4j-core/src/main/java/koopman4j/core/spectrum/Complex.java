package koopman4j.core.spectrum;

/** A complex number re + i·im: an eigenvalue, or an entry of an eigenvector or eigenfunction. */
public record Complex(double re, double im) {

    /** The modulus |z|. */
    public double abs() {
        return Math.hypot(re, im);
    }

    /** The argument in (−π, π]: for a discrete-time eigenvalue, the phase advance per step. */
    public double arg() {
        return Math.atan2(im, re);
    }

    @Override
    public String toString() {
        return im < 0 ? re + " - " + (-im) + "i" : re + " + " + im + "i";
    }
}
