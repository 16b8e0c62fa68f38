package io.pretext.bench;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.image.DecodedImage;
import io.pretext.data.image.ImageDecoder;
import io.pretext.data.image.RejectedImageException;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewRecipe;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-threaded view throughput of the SimCLR augmentation pipeline (Chen et al. 2020,
 * Appendix A). Every benchmark makes the two global views of one record per invocation and is
 * annotated {@code @OperationsPerInvocation(2)}, so the reported ops/s <b>is views/s per core</b>.
 *
 * <ul>
 *   <li>{@code gray28}: Fashion-MNIST recipe ({@link ViewRecipe#simclrSmall}, 1 x 28 x 28: crop
 *       scale [0.2, 1] + bilinear resize 28 to 28, flip, brightness/contrast jitter p = 0.8) from
 *       uint8 CHW bytes, the stored-dataset format (byte decode included).</li>
 *   <li>{@code rgb224FromJpeg}: ImageNet recipe ({@link ViewRecipe#simclr}, 3 x 224 x 224 with
 *       hue/saturation jitter and 23-tap blur p = 0.5) from a 256 x 256 JPEG, decode included and
 *       amortized over the record's two views as in the data pipeline.</li>
 *   <li>{@code rgb224Decoded}: the same views from an already decoded image, to separate the
 *       augmentation cost from the ImageIO decode cost.</li>
 *   <li>{@code jpegDecode256}: decode only ({@link ImageDecoder#decode}, then {@link FloatImage#fromBytes}); its score is
 *       <b>images/s</b> (one operation per invocation).</li>
 * </ul>
 * Inputs are synthetic but textured (sinusoidal gratings, gradients and seeded noise) and cycle
 * over {@value #POOL} records; the record key advances every call so crops and jitter vary.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 3)
public class ViewThroughputBench {
  static final int POOL = 16;
  private static final long SEED = 20_240_229L;

  private byte[][] grayBytes;
  private byte[][] jpegs;
  private FloatImage[] decoded;
  private ViewGenerator gray28;
  private ViewGenerator rgb224;
  private long key;
  /** The decoder prepare-images uses (header checks and all), so decode cost is the real one. */
  private final ImageDecoder decoder = new ImageDecoder(3, 64L * 1024 * 1024);

  @Setup
  public void setup() throws IOException {
    SplittableRandom rng = new SplittableRandom(SEED);
    grayBytes = new byte[POOL][];
    jpegs = new byte[POOL][];
    decoded = new FloatImage[POOL];
    for (int i = 0; i < POOL; i++) {
      grayBytes[i] = texturedGray(28, 28, rng);
      jpegs[i] = jpeg(texturedRgb(256, 256, rng));
      decoded[i] = decode(jpegs[i]);
    }
    gray28 = ViewGenerator.uniform(ViewRecipe.simclrSmall(28, 28, 1), 2, SEED);
    rgb224 = ViewGenerator.uniform(ViewRecipe.simclr(224, 224, 3), 2, SEED);
  }

  @Benchmark
  @OperationsPerInvocation(2)
  public FloatImage[] gray28() {
    long k = key++;
    FloatImage img = FloatImage.fromBytes(grayBytes[(int) (k & (POOL - 1))], 1, 28, 28);
    return gray28.views(img, 0, k);
  }

  @Benchmark
  @OperationsPerInvocation(2)
  public FloatImage[] rgb224FromJpeg() {
    long k = key++;
    FloatImage img = decode(jpegs[(int) (k & (POOL - 1))]);
    return rgb224.views(img, 0, k);
  }

  @Benchmark
  @OperationsPerInvocation(2)
  public FloatImage[] rgb224Decoded() {
    long k = key++;
    return rgb224.views(decoded[(int) (k & (POOL - 1))], 0, k);
  }

  @Benchmark
  public FloatImage jpegDecode256() {
    long k = key++;
    return decode(jpegs[(int) (k & (POOL - 1))]);
  }

  private FloatImage decode(byte[] jpeg) {
    try {
      DecodedImage d = decoder.decode(jpeg);
      return FloatImage.fromBytes(d.pixels(), d.channels(), d.height(), d.width());
    } catch (RejectedImageException e) {
      throw new IllegalStateException("benchmark JPEG rejected: " + e.getMessage(), e);
    }
  }

  private static byte[] texturedGray(int h, int w, SplittableRandom rng) {
    double fx = 0.2 + rng.nextDouble();
    double fy = 0.2 + rng.nextDouble();
    byte[] out = new byte[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0.5 + 0.3 * Math.sin(fx * x + fy * y) + 0.1 * (rng.nextDouble() - 0.5) + 0.1 * x / w;
        out[y * w + x] = (byte) Math.max(0, Math.min(255, (int) (v * 255)));
      }
    }
    return out;
  }

  private static BufferedImage texturedRgb(int h, int w, SplittableRandom rng) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    double[] f = new double[6];
    for (int i = 0; i < f.length; i++) {
      f[i] = 0.02 + 0.15 * rng.nextDouble();
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = channel(0.5 + 0.35 * Math.sin(f[0] * x + f[1] * y) + 0.15 * x / w, rng);
        int g = channel(0.5 + 0.35 * Math.sin(f[2] * x - f[3] * y) + 0.15 * y / h, rng);
        int b = channel(0.5 + 0.35 * Math.cos(f[4] * (x + y) + f[5] * x * y / 64.0), rng);
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  private static int channel(double v, SplittableRandom rng) {
    return Math.max(0, Math.min(255, (int) ((v + 0.08 * (rng.nextDouble() - 0.5)) * 255)));
  }

  private static byte[] jpeg(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "jpg", out)) {
      throw new IOException("no JPEG writer");
    }
    return out.toByteArray();
  }
}
