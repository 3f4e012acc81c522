package koopman4j.systems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import koopman4j.core.data.InvalidDataException;

/**
 * The parameters of an effective-network (EN) swing model of n generators (Nishikawa &amp; Motter,
 * "Comparative analysis of existing models for power-grid synchronization", New J. Phys. 17, 015012
 * (2015), doi:10.1088/1367-2630/17/1/015012), as read from a network file such as the IEEE 39-bus one
 * shipped in {@code koopman4j/systems/ieee39/} (its README gives fields, units and provenance):
 * <pre>
 *   (2Hᵢ/ω_R) d²δᵢ/dt² = Aᵢ − (Dᵢ/ω_R) dδᵢ/dt − Σ_{j≠i} Kᵢⱼ sin(δᵢ − δⱼ − γᵢⱼ)
 * </pre>
 * with reference frequency ω_R (rad/s), inertia H (s), damping D, net injections A, coupling K and
 * phase shifts γ (both symmetric; diagonals unused), and a synchronous state (δ*, ν*). Every array is
 * checked (sizes, finite values, H &gt; 0, D ≥ 0, symmetry) when the record is made; callers must not
 * modify the arrays afterwards.
 *
 * @param source           where the parameters came from, the prefix of every error message
 * @param omegaR           ω_R
 * @param h                Hᵢ
 * @param d                Dᵢ
 * @param a                Aᵢ
 * @param k                Kᵢⱼ
 * @param gamma            γᵢⱼ
 * @param synchronousDelta δ*ᵢ, rotor angles (rad) of the synchronous state
 * @param synchronousNu    ν*ᵢ, speeds (rad/s, deviation from ω_R) of the synchronous state
 */
public record EffectiveNetwork(String source, double omegaR, double[] h, double[] d, double[] a, double[][] k,
                               double[][] gamma, double[] synchronousDelta, double[] synchronousNu) {

    /** Relative tolerance of the symmetry check; the file's matrices are symmetric to the last printed digit. */
    static final double SYMMETRY_TOLERANCE = 1e-9;
    static final String IEEE39_RESOURCE = "/koopman4j/systems/ieee39/effective_network.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public EffectiveNetwork {
        int n = h.length;
        if (n < 2) {
            throw new InvalidDataException(source + ": H has " + n + " entries; a network needs at least 2 generators");
        }
        finite(source, "omega_R", omegaR);
        if (!(omegaR > 0)) {
            throw new InvalidDataException(source + ": omega_R must be > 0, got " + omegaR);
        }
        vector(source, "H", h, n);
        vector(source, "D", d, n);
        vector(source, "A", a, n);
        vector(source, "synchronous_state.delta", synchronousDelta, n);
        vector(source, "synchronous_state.nu", synchronousNu, n);
        for (int i = 0; i < n; i++) {
            if (!(h[i] > 0)) {
                throw new InvalidDataException(source + ": H[" + i + "] must be > 0 (an inertia constant), got " + h[i]);
            }
            if (!(d[i] >= 0)) {
                throw new InvalidDataException(source + ": D[" + i + "] must be ≥ 0 (a damping), got " + d[i]);
            }
        }
        symmetric(source, "K", k, n);
        symmetric(source, "gamma", gamma, n);
    }

    /** n, the number of generators. */
    public int generators() {
        return h.length;
    }

    /** The 10-generator IEEE 39-bus (New England) network shipped with koopman4j (MATPOWER case39). */
    public static EffectiveNetwork ieee39() {
        try (InputStream in = EffectiveNetwork.class.getResourceAsStream(IEEE39_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + IEEE39_RESOURCE + " is missing from the koopman4j-systems jar");
            }
            return read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "ieee39/effective_network.json");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + IEEE39_RESOURCE, e);
        }
    }

    /** Reads a network file (the format of {@link #read(String, String)}); a missing or unreadable file is bad input. */
    public static EffectiveNetwork read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(file + ": no such file", e);
        } catch (IOException e) {
            throw new InvalidDataException(file + ": cannot read the network file (" + e.getMessage() + ")", e);
        }
        return read(json, file.toString());
    }

    /**
     * Parses a network file (JSON with fields omega_R, H, D, A, K, gamma and synchronous_state.{delta, nu});
     * {@code source} names it in error messages.
     */
    public static EffectiveNetwork read(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidDataException(source + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidDataException(source + ": expected a JSON object with fields omega_R, H, D, A, K, gamma, synchronous_state");
        }
        JsonNode omega = field(root, "omega_R", source);
        // the shipped file stores ω_R as a list of one number
        double omegaR = omega.isArray() && omega.size() == 1 ? number(omega.get(0), "omega_R[0]", source) : number(omega, "omega_R", source);
        JsonNode sync = field(root, "synchronous_state", source);
        return new EffectiveNetwork(source, omegaR,
                numbers(field(root, "H", source), "H", source),
                numbers(field(root, "D", source), "D", source),
                numbers(field(root, "A", source), "A", source),
                matrix(field(root, "K", source), "K", source),
                matrix(field(root, "gamma", source), "gamma", source),
                numbers(field(sync, "delta", source, "synchronous_state."), "synchronous_state.delta", source),
                numbers(field(sync, "nu", source, "synchronous_state."), "synchronous_state.nu", source));
    }

    private static JsonNode field(JsonNode node, String name, String source) {
        return field(node, name, source, "");
    }

    private static JsonNode field(JsonNode node, String name, String source, String parent) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidDataException(source + ": field '" + parent + name + "' is missing");
        }
        return v;
    }

    private static double number(JsonNode v, String what, String source) {
        if (!v.isNumber()) {
            throw new InvalidDataException(source + ": " + what + " is " + v + ", expected a number");
        }
        return v.asDouble();
    }

    private static double[] numbers(JsonNode v, String what, String source) {
        if (!v.isArray()) {
            throw new InvalidDataException(source + ": " + what + " is " + v.getNodeType().name().toLowerCase(Locale.ROOT) + ", expected a list of numbers");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(v.get(i), what + "[" + i + "]", source);
        }
        return out;
    }

    private static double[][] matrix(JsonNode v, String what, String source) {
        if (!v.isArray()) {
            throw new InvalidDataException(source + ": " + what + " is " + v.getNodeType().name().toLowerCase(Locale.ROOT) + ", expected a list of rows");
        }
        double[][] out = new double[v.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = numbers(v.get(i), what + "[" + i + "]", source);
        }
        return out;
    }

    private static void finite(String source, String what, double v) {
        if (!Double.isFinite(v)) {
            throw new InvalidDataException(source + ": " + what + " is " + v + ", expected a finite number");
        }
    }

    private static void vector(String source, String what, double[] v, int n) {
        if (v.length != n) {
            throw new InvalidDataException(source + ": " + what + " has " + v.length + " entries, expected " + n + " (one per generator, as H)");
        }
        for (int i = 0; i < n; i++) {
            finite(source, what + "[" + i + "]", v[i]);
        }
    }

    /** K and γ must be symmetric: the EN coupling is an undirected line admittance (and K's symmetry makes the lossless model Hamiltonian). */
    private static void symmetric(String source, String what, double[][] m, int n) {
        if (m.length != n) {
            throw new InvalidDataException(source + ": " + what + " has " + m.length + " rows, expected " + n + " (one per generator)");
        }
        for (int i = 0; i < n; i++) {
            vector(source, what + "[" + i + "]", m[i], n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(m[i][j] - m[j][i]) > SYMMETRY_TOLERANCE * Math.max(1, Math.max(Math.abs(m[i][j]), Math.abs(m[j][i])))) {
                    throw new InvalidDataException(source + ": " + what + " must be symmetric, but " + what + "[" + i + "][" + j + "] = "
                            + m[i][j] + " and " + what + "[" + j + "][" + i + "] = " + m[j][i]);
                }
            }
        }
    }
}
