package io.pretext.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.prep.PrepareConfig;
import io.pretext.data.prep.PrepareImagesJob;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestImages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.format.Encoding;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards are the same bytes whatever JVM wrote them (the footer's encodings lists are sorted), and a shard that no
 * longer matches the manifest's checksum is refused when the dataset is read. The cross-process case itself, two
 * preparations in separate JVMs, is in cluster-tests (PrepareFaultIT).
 */
class DatasetIntegrityTest {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path dataset;

  @BeforeAll
  static void prepare() throws IOException {
    spark = SharedSpark.get();
    Path in = Files.createDirectories(tmp.resolve("in"));
    for (int i = 0; i < 12; i++) {
      Files.write(in.resolve("i" + i + ".png"), TestImages.encode(TestImages.rgb(8, 8, i), "png"));
    }
    dataset = tmp.resolve("ds");
    PrepareImagesJob.run(spark, new PrepareConfig(in.toString(), dataset.toString(), "files", "*", null, false, null, null, 1, 0,
        1_000_000, 2, 1, false));
  }

  @Test
  void aFooterWrittenInAnotherEncodingOrderIsMadeCanonicalAgain() throws IOException {
    org.apache.hadoop.fs.Path shard = new org.apache.hadoop.fs.Path(dataset.resolve("shards").resolve(DatasetWriter.shardName(0)).toUri());
    FileSystem fs = shard.getFileSystem(new Configuration());
    byte[] canonical = Files.readAllBytes(Path.of(shard.toUri()));
    assertFalse(ShardFooter.canonicalise(fs, shard), "prepare-images already wrote the canonical footer");

    // What another JVM's hash-set order gives: the same file with every encodings list reversed
    assertTrue(ShardFooter.rewrite(fs, shard, Comparator.comparingInt(Encoding::getValue).reversed()),
        "the shard has a column chunk with more than one encoding");
    byte[] other = Files.readAllBytes(Path.of(shard.toUri()));
    assertEquals(canonical.length, other.length);
    assertFalse(java.util.Arrays.equals(canonical, other));
    List<Row> rowsOther = spark.read().parquet(shard.toString()).collectAsList();

    assertTrue(ShardFooter.canonicalise(fs, shard));
    assertArrayEquals(canonical, Files.readAllBytes(Path.of(shard.toUri())));
    assertEquals(rowsOther, spark.read().parquet(shard.toString()).collectAsList(), "the rows are untouched");
  }

  @Test
  void aDamagedShardIsRefusedWhenTheDatasetIsRead() throws IOException {
    Path copy = tmp.resolve("ds-copy");
    copyTree(dataset, copy);
    assertEquals(12, PreparedDataset.open(copy.toString(), spark).records(spark).count());
    Path shard = copy.resolve("shards").resolve(DatasetWriter.shardName(1));
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      f.seek(10);
      int b = f.read();
      f.seek(10);
      f.write(b ^ 0x01);
    }
    PreparedDataset reopened = PreparedDataset.open(copy.toString(), spark);
    DatasetException e = assertThrows(DatasetException.class, () -> reopened.records(spark));
    assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("shard-00001.parquet")
        && e.getMessage().contains("--overwrite"), e.getMessage());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
