package dev.litenet.eval;

import dev.litenet.TrainEvent;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Both charts come out as PNGs of their stated size on a white ground. */
class ChartsTest {
    static BufferedImage decode(byte[] png) throws IOException { return ImageIO.read(new ByteArrayInputStream(png)); }

    @Test void historyChartIsA900By600Png() throws IOException {
        List<TrainEvent.EpochStats> history = List.of(new TrainEvent.EpochStats(1, 0.6, 0.9, 0.55, 1.0, 1),
                new TrainEvent.EpochStats(2, 0.8, 0.5, Double.NaN, Double.NaN, 1));
        BufferedImage image = decode(HistoryChart.png(history));
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(600);
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test void confusionChartGrowsWithTheClassesAndIsAtLeast360Wide() throws IOException {
        BufferedImage one = decode(ConfusionChart.png(List.of("cat"), new int[][]{{3}}, "t"));
        BufferedImage three = decode(ConfusionChart.png(List.of("a", "b", "c"), new int[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 0}}, "t"));
        assertThat(one.getWidth()).isEqualTo(360);
        assertThat(one.getHeight()).isEqualTo(80 + 90 + 70);
        assertThat(three.getWidth()).isEqualTo(140 + 3 * 90 + 30);
        assertThat(three.getRGB(three.getWidth() - 1, three.getHeight() - 1) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }
}
