package koopman4j.trainer.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import koopman4j.core.data.InvalidDataException;

/**
 * Reads a YAML training config: defaults, then the file, then {@code --set path=value} overrides,
 * bound to {@link TrainConfig}. Every fault becomes one line naming the file and the field.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigLoader() {
    }

    /** The merged configuration tree (also saved as provenance with the model). */
    public static JsonNode tree(Path file, List<String> overrides) {
        ObjectNode merged = (ObjectNode) defaults("defaults.yaml");
        JsonNode user = null;
        if (file != null) {
            user = readYaml(file);
            if (!(user instanceof ObjectNode)) {
                throw new InvalidDataException(file + ": expected a YAML mapping with model, data and training sections");
            }
        }
        if (TrainConfig.Model.SP_NODE.equals(kind(user, overrides))) { // each kind gets only its own model defaults
            merged.set("model", defaults("defaults-sp-node.yaml").get("model"));
        }
        if (user != null) {
            merge(merged, (ObjectNode) user, file.toString(), "");
        }
        for (String o : overrides) {
            applyOverride(merged, o, "--set");
        }
        return merged;
    }

    /**
     * A copy of a merged tree with {@code key.path=value} settings applied, as {@code --set} applies them; a
     * fault is one line starting with {@code label} (e.g. "--set", or "options" for the Java API). Switching
     * {@code model.kind} here keeps the model section as it is: start from the other kind's defaults instead.
     */
    public static JsonNode override(JsonNode tree, List<String> settings, String label) {
        ObjectNode copy = tree.deepCopy();
        for (String o : settings) {
            applyOverride(copy, o, label);
        }
        return copy;
    }

    /** The tree as YAML text, as a config file would hold it. */
    public static String toYaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("a config tree that cannot be written as YAML", e);
        }
    }

    public static TrainConfig load(Path file, List<String> overrides) {
        return bind(tree(file, overrides), file == null ? "config" : file.toString());
    }

    /** A job's config: the tree bound to {@link TrainConfig}, which must name its data (a built-in system or a file). */
    public static TrainConfig bind(JsonNode tree, String source) {
        TrainConfig config = bind(tree, TrainConfig.class, source);
        if (!config.data().hasSource()) {
            throw new InvalidDataException(source + ": " + TrainConfig.Data.NO_SOURCE);
        }
        return config;
    }

    /**
     * Reads another YAML config file (e.g. the {@code compare} config) into the record type
     * {@code target} with the same rules: unknown keys rejected, one line per fault naming file and field.
     */
    public static <T> T load(Path file, Class<T> target) {
        return bind(readYaml(file), target, file.toString());
    }

    /** Binds a YAML tree to the record type {@code target}; faults become one line prefixed by {@code source}. */
    public static <T> T bind(JsonNode tree, Class<T> target, String source) {
        try {
            return YAML.treeToValue(tree, target);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidDataException bad) {
                throw new InvalidDataException(source + ": " + bad.getMessage(), e);
            }
            throw new InvalidDataException(source + ": " + path(e) + ": " + firstLine(e.getOriginalMessage()), e);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new InvalidDataException(source + ": unknown key '" + path(e) + "' (known here: " + known + ")", e);
        } catch (InvalidFormatException e) {
            throw new InvalidDataException(source + ": " + path(e) + ": '" + e.getValue() + "' is not a valid "
                    + e.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT), e);
        } catch (MismatchedInputException e) {
            String type = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT);
            throw new InvalidDataException(source + ": " + path(e) + ": wrong type, expected " + type, e);
        } catch (IOException e) {
            throw new InvalidDataException(source + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** model.kind as the last --set or else the file gives it (null: the default kind). */
    private static String kind(JsonNode user, List<String> overrides) {
        String kind = user == null ? null : user.path("model").path("kind").asText(null);
        for (String o : overrides) {
            if (o.startsWith("model.kind=")) {
                kind = o.substring("model.kind=".length()).trim();
            }
        }
        return kind;
    }

    private static JsonNode defaults(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/koopman4j/trainer/" + name)) {
            return YAML.readTree(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException(name + " missing from the trainer jar", e);
        }
    }

    private static JsonNode readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDataException(file + ": no such config file");
        }
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new InvalidDataException(file + ": config file is empty");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidDataException(file + ": not valid YAML (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    /** Merges user mappings into the defaults; keys the defaults lack are unknown. */
    private static void merge(ObjectNode target, ObjectNode user, String source, String prefix) {
        for (Map.Entry<String, JsonNode> f : user.properties()) {
            String key = prefix + f.getKey();
            JsonNode existing = target.get(f.getKey());
            if (existing == null) {
                List<String> known = iterable(target.fieldNames());
                throw new InvalidDataException(source + ": unknown key '" + key + "' (known here: " + String.join(", ", known) + ")");
            }
            if (existing.isObject() && f.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) f.getValue(), source, key + ".");
            } else if (existing.isObject()) {
                throw new InvalidDataException(source + ": " + key + " must be a mapping");
            } else {
                target.set(f.getKey(), f.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode root, String override, String label) {
        int eq = override == null ? -1 : override.indexOf('=');
        if (eq <= 0) {
            throw new InvalidDataException(label + " '" + override + "': expected key.path=value");
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        JsonNode value;
        try {
            value = YAML.readTree(override.substring(eq + 1));
        } catch (IOException e) {
            throw new InvalidDataException(label + " '" + override + "': value is not valid YAML", e);
        }
        ObjectNode node = root;
        for (int i = 0; i < keys.length; i++) {
            JsonNode child = node.get(keys[i]);
            String at = String.join(".", java.util.Arrays.copyOf(keys, i + 1));
            if (child == null) {
                throw new InvalidDataException(label + ": unknown key '" + at + "' (known here: " + String.join(", ", iterable(node.fieldNames())) + ")");
            }
            if (i == keys.length - 1) {
                if (child.isObject()) {
                    throw new InvalidDataException(label + ": " + at + " is a section; set one of its fields");
                }
                node.set(keys[i], value == null || value.isMissingNode() ? YAML.nullNode() : value);
            } else if (child instanceof ObjectNode o) {
                node = o;
            } else {
                throw new InvalidDataException(label + ": " + at + " is not a section");
            }
        }
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
