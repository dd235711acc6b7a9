package dev.litenet.spark;

import dev.litenet.data.ImageFolder;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The job's file glob takes exactly the names LiteNet's own folders take, whatever the case of the ending. */
class ImageGlobTest {
    @Test void globAgreesWithTheLibrary() throws IOException {
        GlobFilter glob = new GlobFilter(ImageFiles.IMAGE_GLOB);
        List<String> names = List.of("a.jpg", "a.JPG", "a.JpG", "a.jpeg", "a.JPEG", "a.jPeG", "b.png", "b.PnG", "c.bmp",
                "c.BMP", "d.gif", "d.gIF", "cat.1.jpg", "x.txt", "x.jpgx", "jpg", "x.jp", "photo.JPG.md", "x.tiff");
        for (String name : names) {
            assertThat(glob.accept(new Path("/photos/" + name))).as(name).isEqualTo(ImageFolder.isImageName(name));
        }
        assertThat(names).filteredOn(ImageFolder::isImageName).hasSize(13);
        assertThat(ImageFiles.anyCase(".jpeg")).isEqualTo(".[jJ][pP][eE][gG]");
    }
}
