package io.pretext.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thumbnails of quarantined files: bounded reads, lenient decoding, a reason for every missing picture. */
class QuarantinePreviewTest {
  @TempDir Path tmp;
  final Configuration conf = new Configuration();

  QuarantinePreview.Tile preview(String name, byte[] content, long maxBytes) throws IOException {
    Path f = tmp.resolve(name);
    Files.write(f, content);
    return QuarantinePreview.preview(new QuarantinePreview.Entry(f.toUri().toString(), "corrupt", "detail"), conf, maxBytes);
  }

  @Test
  void anImageBecomesAThumbnailThatFits() throws IOException {
    QuarantinePreview.Tile t = preview("big.png", TestImages.encode(TestImages.rgb(300, 150, 1), "png"), 1 << 20);
    assertNotNull(t.png());
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(t.png()));
    assertEquals(96, thumb.getWidth());
    assertEquals(48, thumb.getHeight());
    assertEquals(96, t.width());
    assertEquals(48, t.height());
    assertTrue(t.note().endsWith(", 300x150"), t.note());
    QuarantinePreview.Tile small = preview("small.png", TestImages.encode(TestImages.rgb(20, 10, 1), "png"), 1 << 20);
    assertEquals(20, small.width(), "never enlarged");
  }

  @Test
  void aTruncatedJpegShowsAsFarAsItDecodes() throws IOException {
    QuarantinePreview.Tile t = preview("cut.jpg", TestImages.truncate(TestImages.encode(TestImages.rgb(64, 64, 8), "jpeg"), 0.6), 1 << 20);
    assertSize(64, 64, t);
    assertTrue(t.note().endsWith("64x64, decoded in part"), t.note());
  }

  @Test
  void placeholdersSayWhy() throws IOException {
    assertEquals("0 bytes", preview("empty.png", new byte[0], 1 << 20).note());
    QuarantinePreview.Tile text = preview("notes.txt", "not an image".getBytes(StandardCharsets.UTF_8), 1 << 20);
    assertNull(text.png());
    assertEquals("12 B, not a format ImageIO reads", text.note());
    QuarantinePreview.Tile bomb = preview("bomb.png", TestImages.hugeHeaderPng(50_000, 50_000), 1 << 20);
    assertNull(bomb.png());
    assertTrue(bomb.note().endsWith("header declares 50000x50000: not decoded"), bomb.note());
    QuarantinePreview.Tile cut = preview("cut.png", TestImages.truncate(TestImages.encode(TestImages.rgb(64, 64, 7), "png"), 0.5), 1 << 20);
    assertNull(cut.png());
    assertTrue(cut.note().contains("does not decode"), cut.note());
    assertEquals(QuarantinePreview.SIDE, cut.width());
    // Leniency: a four-channel JPEG that prepare-images refuses as unsupported still shows (in the wrong colours).
    assertSize(8, 8, preview("cmyk.jpg", TestImages.cmykJpeg(8, 8), 1 << 20));
  }

  @Test
  void aFileLargerThanTheLimitIsNotRead() throws IOException {
    Path f = tmp.resolve("large.png");
    Files.write(f, TestImages.encode(TestImages.rgb(300, 300, 1), "png"));
    long size = Files.size(f);
    QuarantinePreview.Tile t = preview("large.png", Files.readAllBytes(f), size - 1);
    assertNull(t.png());
    assertTrue(t.note().contains("larger than the preview limit"), t.note());
    assertSize(96, 96, preview("large.png", Files.readAllBytes(f), size)); // at the limit it is read
  }

  /** The tile is a PNG of {@code width x height} pixels, and says so. */
  static void assertSize(int width, int height, QuarantinePreview.Tile t) throws IOException {
    assertNotNull(t.png(), t.note());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(t.png()));
    assertEquals(width, img.getWidth(), t.note());
    assertEquals(height, img.getHeight(), t.note());
    assertEquals(width, t.width());
    assertEquals(height, t.height());
  }

  @Test
  void missingFilesAndRecordsInsideFiles() {
    QuarantinePreview.Tile gone = QuarantinePreview.preview(new QuarantinePreview.Entry(tmp.resolve("gone.png").toString(), "empty", ""),
        conf, 1 << 20);
    assertEquals("no longer at its source", gone.note());
    QuarantinePreview.Tile inIdx = QuarantinePreview.preview(new QuarantinePreview.Entry(tmp.resolve("images-idx3-ubyte") + "#59999",
        "truncated", ""), conf, 1 << 20);
    assertEquals("a record inside a file, not a file of its own", inIdx.note());
  }

  @Test
  void sampleTakesReasonsInTurnAndReadsABoundedPrefix() throws IOException {
    Path dataset = tmp.resolve("ds");
    Path dir = Files.createDirectories(dataset.resolve("quarantine"));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add("{\"source\":\"file:/a/" + String.format("%03d", i) + ".png\",\"reason\":\"corrupt\",\"detail\":\"d\"}");
    }
    lines.add(5, "{\"source\":\"file:/a/005x.png\",\"reason\":\"empty\",\"detail\":\"zero-byte input\"}");
    lines.add(9, "{\"source\":\"file:/a/008x.png\",\"reason\":\"truncated\",\"detail\":\"d\"}");
    lines.add(60, "{\"source\":\"file:/a/058x.png\",\"reason\":\"oversized\",\"detail\":\"d\"}");
    Files.write(dir.resolve("part-00000-x.json"), lines);
    List<QuarantinePreview.Entry> s = QuarantinePreview.sample(new org.apache.hadoop.fs.Path(dataset.toString()), conf, 4);
    // 16 lines read (4 x tiles): corrupt, empty and truncated seen, oversized (line 61) not; reasons take turns by name.
    assertEquals(List.of("corrupt", "empty", "truncated", "corrupt"), s.stream().map(QuarantinePreview.Entry::reason).toList());
    assertEquals("file:/a/000.png", s.get(0).source());
    assertEquals("file:/a/001.png", s.get(3).source());
    assertEquals("zero-byte input", s.get(1).detail());
    assertEquals(List.of(), QuarantinePreview.sample(new org.apache.hadoop.fs.Path(tmp.resolve("none").toString()), conf, 4));
  }
}
