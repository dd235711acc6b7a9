package dev.litenet.data;

import dev.litenet.Shared;
import dev.litenet.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFolderTest {
    @TempDir Path tmp;

    @Test void catsAndDogsValidationFolder() {
        Path val = Shared.path("data/cats-dogs/val");
        ImageFolder folder = ImageFolder.open(val);
        assertThat(folder.classes()).containsExactly("cat", "dog");
        assertThat(folder.samples()).hasSize(700);
        assertThat(folder.samples().stream().filter(s -> s.label() == 0)).hasSize(350)
                .allSatisfy(s -> assertThat(s.path().getParent()).isEqualTo(val.resolve("cat")));
        assertThat(folder.samples().stream().filter(s -> s.label() == 1)).hasSize(350)
                .allSatisfy(s -> assertThat(s.path().getParent()).isEqualTo(val.resolve("dog")));
        // sorted by name as Python's sorted() orders them (first and last checked with it)
        assertThat(folder.samples().getFirst().path()).isEqualTo(val.resolve("cat/cat.100.jpg"));
        assertThat(folder.samples().getLast().path()).isEqualTo(val.resolve("dog/dog.98.jpg"));
        List<String> names = folder.samples().stream().map(s -> s.path().getParent().getFileName() + "/" + s.path().getFileName()).toList();
        assertThat(names).isSorted();
    }

    @Test void catsAndDogsRootUsesItsTrainAndValFolders() {
        DatasetSplit split = ImageFolder.split(Shared.path("data/cats-dogs"), 0.2, 1);
        assertThat(split.classes()).containsExactly("cat", "dog");
        assertThat(split.train()).hasSize(2000);
        assertThat(split.val()).hasSize(700);
    }

    @Test void splitsEachClassBySeedWhenThereIsNoTrainAndVal() throws IOException {
        Path root = tmp.resolve("pets");
        files(root.resolve("b_dog"), 5, ".PNG");
        files(root.resolve("a_cat"), 10, ".jpg");
        Files.writeString(root.resolve("a_cat/notes.txt"), "not an image");
        Files.writeString(root.resolve("a_cat/.hidden.jpg"), "resource fork");
        Files.createDirectories(root.resolve(".cache"));

        ImageFolder all = ImageFolder.open(root);
        assertThat(all.classes()).containsExactly("a_cat", "b_dog");
        assertThat(all.samples()).hasSize(15);
        assertThat(all.samples().get(0)).isEqualTo(new Sample(root.resolve("a_cat/img00.jpg"), 0));
        assertThat(all.samples().get(14)).isEqualTo(new Sample(root.resolve("b_dog/img04.PNG"), 1));

        DatasetSplit split = ImageFolder.split(root, 0.2, 7);
        assertThat(split.val().stream().filter(s -> s.label() == 0)).hasSize(2); // round(10 * 0.2)
        assertThat(split.val().stream().filter(s -> s.label() == 1)).hasSize(1); // round(5 * 0.2)
        assertThat(split.train()).hasSize(12);
        Set<Sample> union = new HashSet<>(split.train());
        union.addAll(split.val());
        assertThat(union).containsExactlyInAnyOrderElementsOf(all.samples());
        assertThat(split.train()).isSubsetOf(all.samples()).doesNotContainAnyElementsOf(split.val());
        assertThat(split.train()).isSortedAccordingTo((x, y) -> Integer.compare(all.samples().indexOf(x), all.samples().indexOf(y)));

        assertThat(ImageFolder.split(root, 0.2, 7)).isEqualTo(split);
        List<List<Sample>> others = new ArrayList<>();
        for (long seed = 8; seed < 13; seed++) others.add(ImageFolder.split(root, 0.2, seed).val());
        assertThat(others).anySatisfy(val -> assertThat(val).isNotEqualTo(split.val()));
    }

    @Test void trainAndValWithDifferentClassesAreRejected() throws IOException {
        files(tmp.resolve("train/cat"), 1, ".jpg");
        files(tmp.resolve("train/dog"), 1, ".jpg");
        files(tmp.resolve("val/cat"), 1, ".jpg");
        assertThatThrownBy(() -> ImageFolder.split(tmp, 0.2, 1)).isInstanceOf(BadInputException.class)
                .hasMessage(tmp + ": train and val have different classes: [cat, dog] and [cat]");
    }

    @Test void emptyOrMissingFoldersAreBadInput() throws IOException {
        assertThatThrownBy(() -> ImageFolder.open(tmp.resolve("missing"))).isInstanceOf(BadInputException.class)
                .hasMessage(tmp.resolve("missing") + ": not a folder");
        assertThatThrownBy(() -> ImageFolder.open(tmp)).isInstanceOf(BadInputException.class)
                .hasMessage(tmp + ": no class folders (expected one subfolder per class)");
        files(tmp.resolve("cat"), 2, ".jpeg");
        Files.createDirectories(tmp.resolve("dog"));
        Files.writeString(tmp.resolve("dog/readme.md"), "no pictures");
        assertThatThrownBy(() -> ImageFolder.open(tmp)).isInstanceOf(BadInputException.class)
                .hasMessage(tmp.resolve("dog") + ": no images (.jpg, .jpeg, .png, .bmp, .gif) in class folder");
    }

    /** n empty files named img00, img01, ... (ImageFolder only lists; nothing is decoded). */
    static void files(Path dir, int n, String extension) throws IOException {
        Files.createDirectories(dir);
        for (int i = n - 1; i >= 0; i--) Files.createFile(dir.resolve(String.format("img%02d%s", i, extension)));
    }
}
