package dev.litenet.cli;

import dev.litenet.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code litenet forward} reproduces torchvision's logits from both .pth formats, and refuses bad input. */
class ForwardCommandTest {
    @TempDir Path tmp;

    static int run(StringWriter err, String... args) {
        return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    }

    @Test void reproducesTheFixtureLogits() throws IOException {
        for (String file : new String[]{"mobilenet_v2_calib.pth", "mobilenet_v2_calib_legacy.pth"}) {
            Path out = tmp.resolve(file + ".f32");
            StringWriter err = new StringWriter();
            int code = run(err, "forward", "--weights", Fixtures.dir().resolve(file).toString(),
                    "--input", Fixtures.dir().resolve("input_2x3x224x224.f32").toString(), "--shape", "2,3,224,224",
                    "--output", out.toString());
            assertThat(code).as(err.toString()).isZero();
            float[] logits = new float[2000];
            ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(logits);
            assertThat(Fixtures.relMaxError(logits, Fixtures.f32("logits_eval_2x1000.f32"))).isLessThan(1e-4);
        }
    }

    @Test void wrongSizeOrMissingFilesAreBadInput() throws IOException {
        Path small = Files.write(tmp.resolve("small.f32"), new byte[12]);
        StringWriter err = new StringWriter();
        assertThat(run(err, "forward", "--weights", Fixtures.dir().resolve("mobilenet_v2_calib.pth").toString(),
                "--input", small.toString(), "--shape", "1,3,8,8", "--output", tmp.resolve("o").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("small.f32").contains("needs 768").doesNotContain("Exception");
        StringWriter err2 = new StringWriter();
        assertThat(run(err2, "forward", "--weights", tmp.resolve("missing.pth").toString(), "--input", small.toString(),
                "--shape", "1,1,1,1", "--output", tmp.resolve("o").toString())).isEqualTo(2);
    }
}
