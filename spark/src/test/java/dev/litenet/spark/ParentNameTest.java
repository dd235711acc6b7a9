package dev.litenet.spark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --label-from-parent}: the folder holding the file, on any file system's paths. */
class ParentNameTest {
    @Test void theFolderHoldingTheFile() {
        assertThat(BatchedPartition.parentName("file:/data/cats-dogs/val/cat/cat.1.jpg")).isEqualTo("cat");
        assertThat(BatchedPartition.parentName("s3a://bucket/photos/dog/d.png")).isEqualTo("dog");
        assertThat(BatchedPartition.parentName("hdfs://nn:8020/x/y.jpg")).isEqualTo("x");
        assertThat(BatchedPartition.parentName("s3a://bucket/y.jpg")).isEqualTo("bucket");
        assertThat(BatchedPartition.parentName("file:/y.jpg")).isNull();
        assertThat(BatchedPartition.parentName("y.jpg")).isNull();
    }
}
