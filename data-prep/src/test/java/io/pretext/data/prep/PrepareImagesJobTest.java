package io.pretext.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.testing.ExpectedCounts;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare-images end to end on a real Spark local[2] session, real Parquet, generated corpora. */
class PrepareImagesJobTest {
  @TempDir static Path tmp;
  static Path corpus;
  static SparkSession spark;
  /** What {@link #corpus()} wrote. */
  static final ExpectedCounts WRITTEN = new ExpectedCounts();

  /** 13 distinct valid images, 3 duplicates, and one of each kind of broken input; each tallied as it is written. */
  @BeforeAll
  static void corpus() throws IOException {
    spark = SharedSpark.get();
    corpus = tmp.resolve("corpus");
    Path cats = Files.createDirectories(corpus.resolve("cats"));
    Path dogs = Files.createDirectories(corpus.resolve("dogs/deeper"));
    for (int i = 0; i < 4; i++) {
      Files.write(cats.resolve("c" + i + ".png"), TestImages.encode(TestImages.rgb(20, 16, i), "png"));
      Files.write(dogs.resolve("d" + i + ".bmp"), TestImages.encode(TestImages.rgb(16, 20, 100 + i), "bmp"));
      Files.write(corpus.resolve("j" + i + ".jpg"), TestImages.encode(TestImages.rgb(24, 24, 200 + i), "jpeg"));
      WRITTEN.accepted(3);
    }
    // Exact duplicates of c0 and c1 under other names; c0 twice.
    Files.write(corpus.resolve("copy-of-c0.png"), Files.readAllBytes(cats.resolve("c0.png")));
    Files.write(dogs.resolve("c0-again.png"), Files.readAllBytes(cats.resolve("c0.png")));
    Files.write(corpus.resolve("copy-of-c1.png"), Files.readAllBytes(cats.resolve("c1.png")));
    WRITTEN.duplicates(3);
    Path bad = Files.createDirectories(corpus.resolve("bad"));
    Files.write(bad.resolve("empty.png"), new byte[0]);
    WRITTEN.quarantined("empty", 1);
    Files.write(bad.resolve("notes.txt"), "not an image".getBytes(StandardCharsets.UTF_8));
    WRITTEN.quarantined("not_an_image", 1);
    Files.write(bad.resolve("cut.png"), TestImages.truncate(TestImages.encode(TestImages.rgb(64, 64, 7), "png"), 0.5));
    WRITTEN.quarantined("truncated", 1);
    Files.write(bad.resolve("cmyk.jpg"), TestImages.cmykJpeg(8, 8));
    WRITTEN.quarantined("unsupported", 1);
    Files.write(bad.resolve("bomb.png"), TestImages.hugeHeaderPng(50_000, 50_000));
    WRITTEN.quarantined("oversized", 1);
    Files.write(bad.resolve("sixteen.png"), TestImages.png16(10, 10, 99)); // valid: accepted after conversion
    WRITTEN.accepted(1);
  }

  private static PrepareConfig config(Path in, Path out, int shards, boolean overwrite) {
    return new PrepareConfig(in.toString(), out.toString(), "files", "*", null, false, null, null, 3, 16, 1_000_000, shards, 7, overwrite);
  }

  @Test
  void countsAddUpAndEveryRejectHasAReason() throws IOException {
    Path out = tmp.resolve("ds-counts");
    PrepareResult result = PrepareImagesJob.run(spark, config(corpus, out, 4, false));
    WRITTEN.assertMatches(result.manifest().counts());
    assertEquals(new DatasetManifest.ImageGeometry(3, 16, 16), result.manifest().image());

    List<Row> quarantine = spark.read().json(out.resolve("quarantine").toString()).collectAsList();
    assertEquals(5, quarantine.size());
    Set<String> sources = quarantine.stream().map(r -> r.getAs("source").toString().replaceAll(".*/", "")).collect(Collectors.toSet());
    assertEquals(Set.of("empty.png", "notes.txt", "cut.png", "cmyk.jpg", "bomb.png"), sources);
    List<Row> dups = spark.read().json(out.resolve("duplicates").toString()).collectAsList();
    assertEquals(3, dups.size());
    for (Row d : dups) {
      assertTrue(d.getAs("duplicateOf").toString().compareTo(d.getAs("source").toString()) < 0, "keeps the smallest source");
    }

    PreparedDataset ds = PreparedDataset.open(out.toString(), spark);
    List<Row> rows = ds.records(spark).collectAsList();
    assertEquals(WRITTEN.accepted(), rows.size());
    assertEquals(WRITTEN.accepted(), rows.stream().map(ImageRecords::id).distinct().count());
    for (Row r : rows) {
      assertEquals(RecordValidator.contentId(ImageRecords.image(r)), ImageRecords.id(r));
    }
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertTrue(Files.notExists(out.resolve("_staging")));
  }

  @Test
  void sameInputGivesByteIdenticalShards() throws IOException {
    Path a = tmp.resolve("ds-a");
    Path b = tmp.resolve("ds-b");
    DatasetManifest ma = PrepareImagesJob.run(spark, config(corpus, a, 3, false)).manifest();
    DatasetManifest mb = PrepareImagesJob.run(spark, config(corpus, b, 3, false)).manifest();
    assertEquals(ma.shards(), mb.shards());
    for (DatasetManifest.Shard s : ma.shards()) {
      if (s.file() != null) {
        assertArrayEquals(Files.readAllBytes(a.resolve(s.file())), Files.readAllBytes(b.resolve(s.file())), s.file());
      }
    }
    assertEquals(ma.toJson().replace(a.toString(), ""), mb.toJson().replace(b.toString(), ""));
  }

  @Test
  void moreShardsThanRecordsLeavesEmptyShardsListed() {
    Path out = tmp.resolve("ds-many");
    DatasetManifest m = PrepareImagesJob.run(spark, config(corpus, out, 40, false)).manifest();
    assertEquals(40, m.shards().size());
    assertEquals(WRITTEN.accepted(), m.totalRecords());
    assertTrue(m.shards().stream().anyMatch(s -> s.records() == 0));
    for (int i = 0; i < 40; i++) {
      assertEquals(i, m.shards().get(i).index());
    }
  }

  @Test
  void existingOutputIsRefusedUnlessOverwrite() throws IOException {
    Path out = tmp.resolve("ds-exists");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "precious");
    DatasetException e = assertThrows(DatasetException.class, () -> PrepareImagesJob.run(spark, config(corpus, out, 2, false)));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    assertTrue(Files.exists(out.resolve("keep.txt")));
    PrepareImagesJob.run(spark, config(corpus, out, 2, true));
    assertTrue(Files.notExists(out.resolve("keep.txt")));
  }

  @Test
  void datasetWithoutSuccessMarkerIsRefused() throws IOException {
    Path out = tmp.resolve("ds-half");
    PrepareImagesJob.run(spark, config(corpus, out, 2, false));
    Files.delete(out.resolve("_SUCCESS"));
    DatasetException e = assertThrows(DatasetException.class, () -> PreparedDataset.open(out.toString(), spark));
    assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("_SUCCESS"), e.getMessage());
  }

  @Test
  void folderNamesBecomeLabels() {
    Path out = tmp.resolve("ds-labels");
    PrepareConfig c = new PrepareConfig(corpus.toString(), out.toString(), "files", "*.{png,bmp}", null, true, null, null, 1, 0, 1_000_000, 2, 1, false);
    DatasetManifest m = PrepareImagesJob.run(spark, c).manifest();
    assertEquals(List.of("bad", "cats", "corpus", "deeper"), m.labelNames());
    assertNull(m.image(), "sizes differ when --resize is 0");
    Map<String, Integer> labelBySource = new TreeMap<>();
    PreparedDataset.open(out.toString(), spark).records(spark).collectAsList()
        .forEach(r -> labelBySource.put(r.getString(1).replaceAll(".*/", ""), ImageRecords.label(r)));
    assertEquals(1, labelBySource.get("c2.png"));
    assertEquals(3, labelBySource.get("d2.bmp"));
  }

  @Test
  void idxWithLabelsAndATruncatedTail() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("idx"));
    byte[] images = TestImages.idxImages(50, 6, 5, 3, false);
    // Drop the last 2.5 images: 47 complete, one quarantine entry for the missing tail.
    Files.write(dir.resolve("train-images-idx3-ubyte"), java.util.Arrays.copyOf(images, images.length - 75));
    int[] labels = new int[50];
    for (int i = 0; i < 50; i++) {
      labels[i] = i % 10;
    }
    Path labelFile = dir.resolve("train-labels-idx1-ubyte.gz");
    Files.write(labelFile, TestImages.gzip(TestImages.idxLabels(labels)));
    Path out = tmp.resolve("ds-idx");
    PrepareConfig c = new PrepareConfig(dir.resolve("train-images-idx3-ubyte").toString(), out.toString(), "auto", null,
        labelFile.toString(), false, null, null, 1, 0, 1_000_000, 4, 1, false);
    DatasetManifest m = PrepareImagesJob.run(spark, c).manifest();
    assertEquals("idx", m.source().format());
    // Image i's pixels are (i * 37 + 3 + p % 3) mod 256: distinct for i < 50 (37 is prime to 256), so no duplicates.
    new ExpectedCounts().accepted(47).quarantined("truncated", 1).assertMatches(m.counts());
    List<Row> rows = PreparedDataset.open(out.toString(), spark).records(spark).collectAsList();
    for (Row r : rows) {
      int index = Integer.parseInt(r.getString(1).replaceAll(".*#", ""));
      assertEquals(index % 10, ImageRecords.label(r));
      assertEquals((index * 37 + 3) & 0xFF, ImageRecords.image(r).get(0, 0, 0));
    }
  }

  @Test
  void parquetInputWithABinaryColumn() {
    Path in = tmp.resolve("pq-in");
    StructType schema = new StructType().add("img", DataTypes.BinaryType).add("y", DataTypes.IntegerType);
    List<Row> rows = List.of(
        org.apache.spark.sql.RowFactory.create(TestImages.encode(TestImages.rgb(8, 8, 1), "png"), 1),
        org.apache.spark.sql.RowFactory.create(TestImages.encode(TestImages.rgb(8, 8, 2), "png"), 2),
        org.apache.spark.sql.RowFactory.create("junk".getBytes(StandardCharsets.UTF_8), 3),
        org.apache.spark.sql.RowFactory.create(null, 4));
    spark.createDataFrame(rows, schema).write().parquet(in.toString());
    Path out = tmp.resolve("ds-pq");
    PrepareConfig c = new PrepareConfig(in.toString(), out.toString(), "parquet", null, null, false, "img", "y", 3, 0, 1_000_000, 2, 1, false);
    DatasetManifest m = PrepareImagesJob.run(spark, c).manifest();
    new ExpectedCounts().accepted(2).quarantined("not_an_image", 1).quarantined("empty", 1).assertMatches(m.counts());

    PrepareConfig wrongColumn = new PrepareConfig(in.toString(), tmp.resolve("ds-pq2").toString(), "parquet", null, null, false, "pixels", null, 3, 0, 10, 2, 1, false);
    DatasetException e = assertThrows(DatasetException.class, () -> PrepareImagesJob.run(spark, wrongColumn));
    assertTrue(e.getMessage().contains("--image-column pixels") && e.getMessage().contains("img"), e.getMessage());
  }

  @Test
  void invalidOptionsNameTheOptionAndTheAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PrepareConfig("in", "out", "files", null, null, false, null, null, 3, 0, 10, 0, 1, false));
    assertEquals("invalid value for --shards: '0' (allowed: an integer 1..100000)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new PrepareConfig("in", "out", "tar", null, null, false, null, null, 3, 0, 10, 1, 1, false));
    assertTrue(e.getMessage().contains("--format") && e.getMessage().contains("tar"));
    assertThrows(IllegalArgumentException.class, () -> new PrepareConfig("in", "out", "files", null, null, false, null, null, 2, 0, 10, 1, 1, false));
    assertThrows(IllegalArgumentException.class, () -> new PrepareConfig("same", "same/", "files", null, null, false, null, null, 1, 0, 10, 1, 1, false));
  }
}
