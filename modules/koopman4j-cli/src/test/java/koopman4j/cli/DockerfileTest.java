package koopman4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No Docker engine runs in the build, so the Dockerfiles are checked against the repository instead: every
 * path they copy from the build context exists and is not ignored by .dockerignore, the jar they copy from
 * the build stage is the one the named module's shade plugin writes, the dependency-caching layer copies the
 * pom of every module of the reactor, the profiles and modules they build exist, base images carry a tag, and
 * the image runs as a user of its own.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("../..");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    /** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            if (line.strip().startsWith("#") || line.isBlank()) {
                continue;
            }
            current.append(line.strip());
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 1);
                current.append(' ');
            } else {
                out.add(current.toString());
                current.setLength(0);
            }
        }
        return out;
    }

    private static List<String> patterns() throws IOException {
        return Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Whether .dockerignore leaves {@code path} (relative, '/'-separated) out of the build context. */
    private static boolean ignored(String path, List<String> patterns) {
        List<String> parts = Arrays.asList(path.split("/"));
        for (String p : patterns) {
            if (p.startsWith("**/") ? parts.contains(p.substring(3)) : path.equals(p) || path.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker/Dockerfile.cpu", "docker/Dockerfile.gpu"})
    void everyPathTheDockerfileUsesExists(String file) throws IOException {
        List<String> lines = instructions(ROOT.resolve(file));
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        List<String> patterns = patterns();
        TreeSet<String> cachedPoms = new TreeSet<>();
        boolean user = false;
        for (String line : lines) {
            List<String> words = new ArrayList<>(Arrays.asList(line.split("\\s+")));
            String op = words.remove(0);
            switch (op) {
                case "FROM" -> {
                    String image = words.get(0);
                    assertTrue(image.contains(":") && !image.endsWith(":latest"), file + ": base image without a pinned tag: " + image);
                }
                case "COPY" -> {
                    String from = words.stream().filter(w -> w.startsWith("--from=")).findFirst().orElse(null);
                    words.removeIf(w -> w.startsWith("--"));
                    List<String> sources = words.subList(0, words.size() - 1);
                    for (String source : sources) {
                        if (from != null) {
                            assertBuildOutput(file, source);
                        } else {
                            assertTrue(Files.exists(ROOT.resolve(source)), file + ": COPY " + source + ": no such path in the repository");
                            assertFalse(ignored(source, patterns), file + ": COPY " + source + " is excluded by .dockerignore");
                            if (source.matches("modules/[^/]+/pom.xml")) {
                                cachedPoms.add(source.substring(0, source.length() - "/pom.xml".length()));
                            }
                        }
                    }
                }
                case "RUN" -> {
                    Matcher pl = Pattern.compile("-pl (\\S+)").matcher(line);
                    while (pl.find()) {
                        assertTrue(Files.isRegularFile(ROOT.resolve(pl.group(1)).resolve("pom.xml")), file + ": -pl " + pl.group(1) + ": no such module");
                    }
                    Matcher profile = Pattern.compile(" -P(\\S+)").matcher(line);
                    while (profile.find()) {
                        assertTrue(parent.contains("<id>" + profile.group(1) + "</id>"), file + ": -P" + profile.group(1) + ": no such profile");
                    }
                }
                case "USER" -> user = !words.get(0).equals("root") && !words.get(0).equals("0");
                default -> { }
            }
        }
        TreeSet<String> reactor = new TreeSet<>();
        Matcher m = MODULE.matcher(parent);
        while (m.find()) {
            reactor.add(m.group(1));
        }
        assertEquals(reactor, cachedPoms, file + ": the dependency-caching layer must copy the pom of every module in pom.xml");
        assertTrue(user, file + ": the image must run as a user of its own (USER), not root");
    }

    /** A path copied from the build stage is {@code /src/<module>/target/<finalName>.jar} of a module's shade plugin. */
    private static void assertBuildOutput(String file, String source) throws IOException {
        Matcher jar = Pattern.compile("/src/(modules/[^/]+)/target/([^/]+)\\.jar").matcher(source);
        assertTrue(jar.matches(), file + ": COPY --from " + source + ": expected /src/modules/<module>/target/<name>.jar");
        Path pom = ROOT.resolve(jar.group(1)).resolve("pom.xml");
        assertTrue(Files.isRegularFile(pom), file + ": COPY --from " + source + ": no module " + jar.group(1));
        assertTrue(Files.readString(pom).contains("<finalName>" + jar.group(2) + "</finalName>"),
                file + ": COPY --from " + source + ": " + pom + " does not build " + jar.group(2) + ".jar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"target", "modules/koopman4j-cli/target/koopman4j.jar", "runs/x", "examples/notebooks/out/a.ipynb", ".git"})
    void dockerignoreKeepsBuildOutputsAndRunsOutOfTheContext(String path) throws IOException {
        assertTrue(ignored(path, patterns()), path);
    }
}
