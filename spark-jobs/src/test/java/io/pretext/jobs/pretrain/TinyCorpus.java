package io.pretext.jobs.pretrain;

import io.pretext.data.prep.PrepareConfig;
import io.pretext.data.prep.PrepareImagesJob;
import io.pretext.data.testing.SharedSpark;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A small prepared dataset for training tests: {@code n} distinct 16x16 gray images of blobs at random places. */
final class TinyCorpus {
  private TinyCorpus() {}

  static Path prepare(Path dir, int n) throws IOException {
    return prepare(dir, n, false);
  }

  /** The same images labelled by their shape ({@code i % 3}: diamond, horizontal or vertical stripes). */
  static Path prepareLabelled(Path dir, int n) throws IOException {
    return prepare(dir, n, true);
  }

  private static Path prepare(Path dir, int n, boolean labelled) throws IOException {
    Files.createDirectories(dir);
    ByteBuffer b = ByteBuffer.allocate(16 + n * 256);
    b.putInt(0x00000803).putInt(n).putInt(16).putInt(16);
    Random r = new Random(5);
    for (int i = 0; i < n; i++) {
      int cy = 3 + r.nextInt(10);
      int cx = 3 + r.nextInt(10);
      int shape = i % 3;
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          boolean on = switch (shape) {
            case 0 -> Math.abs(y - cy) + Math.abs(x - cx) < 4;
            case 1 -> y % 4 < 2;
            default -> x % 4 < 2;
          };
          b.put((byte) ((on ? 200 : 20) + r.nextInt(40)));
        }
      }
    }
    Path idx = dir.resolve("tiny-images-idx3-ubyte");
    Files.write(idx, b.array());
    String labels = null;
    if (labelled) {
      ByteBuffer l = ByteBuffer.allocate(8 + n);
      l.putInt(0x00000801).putInt(n);
      for (int i = 0; i < n; i++) {
        l.put((byte) (i % 3));
      }
      Path file = dir.resolve("tiny-labels-idx1-ubyte");
      Files.write(file, l.array());
      labels = file.toString();
    }
    Path out = dir.resolve("dataset");
    PrepareImagesJob.run(SharedSpark.get(), new PrepareConfig(idx.toString(), out.toString(), "idx", null, labels, false,
        null, null, 1, 0, 1_000_000, 3, 1, false));
    return out;
  }
}
