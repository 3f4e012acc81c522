package koopman4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import koopman4j.core.data.InvalidDataException;
import koopman4j.core.data.TrajectorySet;
import koopman4j.core.model.KoopmanModel;
import koopman4j.core.stability.StabilityCertificate;
import koopman4j.edmd.Edmd;
import koopman4j.systems.Glycolysis;
import koopman4j.systems.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** E-DMD through the same {@link KoopmanModel} surface as the deep models, and {@link Models#load} of every failure. */
class EdmdModelTest {

    @TempDir
    Path dir;

    @Test
    void edmdFitsPredictsCertifiesAndLoadsLikeTheDeepModels() throws Exception {
        TrajectorySet data = new Simulator(new Glycolysis()).simulate(8, Simulator.uniformTimes(80, 0.01), 5);
        Edmd model = Edmd.fit(data, Edmd.Options.of("legendre", 2, 0, 0, 0, 1));
        assertEquals(0.01, model.dt(), 1e-12);
        assertEquals(StabilityCertificate.Region.UNIT_CIRCLE, model.stability().region());
        double[] x0 = data.get(0).states()[0];
        assertEquals(0.5, model.predict(x0, 50).times()[50], 1e-12);
        assertTrue(model.evaluate(data, 1, 50).oneStepErrorPct() < 5);
        model.save(dir.resolve("edmd"));
        KoopmanModel loaded = Models.load(dir.resolve("edmd"));
        assertInstanceOf(Edmd.class, loaded);
        assertEquals(model.predict(x0, 50), loaded.predict(x0, 50));
        assertEquals(model.stability(), loaded.stability());
        assertEquals(model.dt(), loaded.dt());
    }

    @Test
    void loadRejectsMissingForeignAndCorruptDirectoriesInOneLine() throws Exception {
        Path absent = dir.resolve("absent");
        assertEquals(absent + ": no such model directory",
                assertThrows(InvalidDataException.class, () -> Models.load(absent)).getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": not a koopman4j model (no model.json)",
                assertThrows(InvalidDataException.class, () -> Models.load(empty)).getMessage());
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("model.json"), "{\"kind\": \"lstm\"}");
        assertEquals(foreign.resolve("model.json") + ": unknown model kind 'lstm'; expected deep-dmd, edmd or sp-node",
                assertThrows(InvalidDataException.class, () -> Models.load(foreign)).getMessage());
        Path notJson = Files.createDirectories(dir.resolve("not-json"));
        Files.writeString(notJson.resolve("model.json"), "{kind");
        assertEquals(notJson.resolve("model.json") + ": corrupt model file (not JSON)",
                assertThrows(InvalidDataException.class, () -> Models.load(notJson)).getMessage());
        Path noKind = Files.createDirectories(dir.resolve("no-kind"));
        Files.writeString(noKind.resolve("model.json"), "{}");
        assertEquals(noKind.resolve("model.json") + ": corrupt model file (no kind)",
                assertThrows(InvalidDataException.class, () -> Models.load(noKind)).getMessage());
        assertEquals("no model directory given", assertThrows(InvalidDataException.class, () -> Models.load(null)).getMessage());
    }
}
