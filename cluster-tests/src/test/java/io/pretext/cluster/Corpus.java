package io.pretext.cluster;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Generated image corpora: 16x16 gray PNGs of three shapes (a diamond blob, horizontal stripes, vertical stripes)
 * at seeded random places with noise, one folder per shape, so {@code --label-from-folder} gives labels a linear
 * probe can learn.
 */
final class Corpus {
  static final String[] CLASSES = {"diamond", "hstripes", "vstripes"};

  private Corpus() {}

  /** Writes {@code n} PNGs under {@code dir}; returns the number written. */
  static int write(FileSystem fs, Path dir, int n, long seed) {
    Random r = new Random(seed);
    try {
      for (int i = 0; i < n; i++) {
        int shape = i % 3;
        try (OutputStream out = fs.create(new Path(new Path(dir, CLASSES[shape]), String.format("img-%05d.png", i)), true)) {
          out.write(png(shape, r));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  static byte[] png(int shape, Random r) throws IOException {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    int cy = 3 + r.nextInt(10);
    int cx = 3 + r.nextInt(10);
    int phase = r.nextInt(4);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        boolean on = switch (shape) {
          case 0 -> Math.abs(y - cy) + Math.abs(x - cx) < 4;
          case 1 -> (y + phase) % 4 < 2;
          default -> (x + phase) % 4 < 2;
        };
        int v = (on ? 200 : 20) + r.nextInt(40);
        img.getRaster().setSample(x, y, 0, v);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    return bytes.toByteArray();
  }
}
