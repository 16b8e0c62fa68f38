package io.pretext.data.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.testing.ExpectedCounts;
import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that could take a job down is quarantined with a reason instead: files too large to read (by their listed
 * size, never opened, whatever their size), gzip bombs in IDX files and label files, and names Spark's own listing
 * would skip. The counts cover every file under the input.
 */
class UntrustedInputTest {
  @TempDir static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SharedSpark.get();
  }

  private static PrepareConfig config(Path in, Path out, long maxFileBytes) {
    return new PrepareConfig(in.toString(), out.toString(), "files", "*", null, false, null, null, 1, 0, 1_000_000, maxFileBytes,
        2, 1, false);
  }

  @Test
  void filesLargerThanTheLimitAreQuarantinedUnreadEvenPast2GiB() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("big"));
    Files.write(in.resolve("ok.png"), TestImages.encode(TestImages.rgb(8, 8, 1), "png"));
    Files.write(in.resolve("large.png"), new byte[300_000]);
    // A sparse file of 2.5 GiB: Spark's binaryFile source cannot hold it in one array and fails the job.
    try (RandomAccessFile f = new RandomAccessFile(in.resolve("huge.bin").toFile(), "rw")) {
      f.setLength(5L << 29);
    }
    DatasetManifest m = PrepareImagesJob.run(spark, config(in, tmp.resolve("big-out"), 100_000)).manifest();
    new ExpectedCounts().accepted(1).quarantined("oversized", 2).assertMatches(m.counts());
    String quarantine = readDir(tmp.resolve("big-out/quarantine"));
    assertTrue(quarantine.contains("file of 2684354560 bytes, more than --max-file-bytes 100000; not read"), quarantine);
  }

  @Test
  void namesBeginningWithUnderscoreOrDotAreRead() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("hidden"));
    Files.write(in.resolve("_DSC0001.png"), TestImages.encode(TestImages.rgb(8, 8, 1), "png"));
    Files.write(in.resolve(".also-an-image.png"), TestImages.encode(TestImages.rgb(8, 8, 2), "png"));
    Files.write(Files.createDirectories(in.resolve("_camera")).resolve("IMG_1.png"), TestImages.encode(TestImages.rgb(8, 8, 3), "png"));
    Files.write(in.resolve(".DS_Store"), "Bud1".getBytes(StandardCharsets.US_ASCII));
    Files.write(in.resolve("empty.png"), new byte[0]);
    DatasetManifest m = PrepareImagesJob.run(spark, config(in, tmp.resolve("hidden-out"), 1_000_000)).manifest();
    // Every file under the input is counted: the three images read, .DS_Store and empty.png quarantined.
    new ExpectedCounts().accepted(3).quarantined("not_an_image", 1).quarantined("empty", 1).assertMatches(m.counts());
  }

  @Test
  void idxGzipBombIsQuarantinedAndALabelBombRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bomb"));
    // 20 MB of zeros after a valid header compresses to about 20 KB
    byte[] header = {0, 0, 8, 3, 0, 0, 0x4E, 0x20, 0, 0, 0, 32, 0, 0, 0, 32};
    Path images = dir.resolve("bomb-images-idx3-ubyte.gz");
    Files.write(images, gzip(header, 20_000_000));
    PrepareConfig c = new PrepareConfig(images.toString(), tmp.resolve("bomb-out").toString(), "idx", null, null, false, null, null, 1,
        0, 1_000_000, 1_000_000, 2, 1, false);
    DatasetManifest m = PrepareImagesJob.run(spark, c).manifest();
    new ExpectedCounts().quarantined("oversized", 1).assertMatches(m.counts());
    assertTrue(readDir(tmp.resolve("bomb-out/quarantine")).contains("inflates to more than"));

    Path labels = dir.resolve("bomb-labels-idx1-ubyte.gz");
    Files.write(labels, gzip(new byte[] {0, 0, 8, 1, 0, 0, 0x4E, 0x20}, 20_000_000));
    Path small = dir.resolve("small-images-idx3-ubyte");
    Files.write(small, TestImages.idxImages(3, 4, 4, 1, false));
    PrepareConfig withLabels = new PrepareConfig(small.toString(), tmp.resolve("bomb-out2").toString(), "idx", null, labels.toString(),
        false, null, null, 1, 0, 1_000_000, 1_000_000, 2, 1, false);
    DatasetException e = assertThrows(DatasetException.class, () -> PrepareImagesJob.run(spark, withLabels));
    assertTrue(e.getMessage().contains("--labels") && e.getMessage().contains("inflates to more than"), e.getMessage());
  }

  @Test
  void anOutputInsideTheInputOrHoldingItIsRefusedBeforeAnyWork() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("nest"));
    Files.write(in.resolve("a.png"), TestImages.encode(TestImages.rgb(8, 8, 1), "png"));
    DatasetException e = assertThrows(DatasetException.class,
        () -> PrepareImagesJob.run(spark, config(in, in.resolve("ds"), 1_000_000)));
    assertTrue(e.getMessage().contains("--output") && e.getMessage().contains("lies inside --input"), e.getMessage());
    assertTrue(Files.notExists(in.resolve("ds")), "nothing was written");
    PrepareConfig holding = new PrepareConfig("file:" + in, tmp.toString(), "files", "*", null, false, null, null, 1, 0, 1_000_000,
        1_000_000, 2, 1, true);
    e = assertThrows(DatasetException.class, () -> PrepareImagesJob.run(spark, holding));
    assertTrue(e.getMessage().contains("lies inside --output"), e.getMessage());
    assertTrue(Files.exists(in.resolve("a.png")), "--overwrite did not delete the input");
  }

  private static byte[] gzip(byte[] header, int zeros) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(header);
      gz.write(new byte[zeros]);
    }
    return bytes.toByteArray();
  }

  private static String readDir(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }

}
