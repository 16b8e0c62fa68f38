package io.pretext.jobs.eval;

import io.pretext.data.prep.PrepareConfig;
import io.pretext.data.prep.PrepareImagesJob;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.InputInfo;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.encoder.SmallCnn;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Small labeled datasets made by the real prepare-images job from generated IDX files, and a SimCLR
 * checkpoint written the way pretrain writes it.
 *
 * <p>Images are {@value #SIDE}x{@value #SIDE} grayscale in three clearly separable classes: 0 horizontal
 * stripes, 1 vertical stripes, 2 a checkerboard (levels 200 and 50), each pixel with independent
 * uniform noise in [-40, 40] (so no two images are duplicates, which prepare-images would drop).
 */
public final class EvalFixtures {
  public static final int SIDE = 8;
  public static final int CLASSES = 3;

  private EvalFixtures() {}

  public static int[] balancedLabels(int n) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % CLASSES;
    }
    return labels;
  }

  /** {@code labels} permuted with a fixed seed: the same class counts, no relation to the images. */
  static int[] shuffled(int[] labels, long seed) {
    List<Integer> list = new ArrayList<>();
    for (int l : labels) {
      list.add(l);
    }
    Collections.shuffle(list, new Random(seed));
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Prepares a dataset of {@code patterns.length} images, image i drawn from class {@code patterns[i]}.
   *
   * @param labels the labels to store, or null for an unlabeled dataset
   */
  public static Path dataset(SparkSession spark, Path dir, String name, int[] patterns, int[] labels, long seed) {
    try {
      Path corpus = Files.createDirectories(dir.resolve(name + "-idx"));
      Path images = corpus.resolve("images-idx3-ubyte");
      Files.write(images, idxImages(patterns, seed));
      String labelFile = null;
      if (labels != null) {
        Path l = corpus.resolve("labels-idx1-ubyte");
        Files.write(l, idxLabels(labels));
        labelFile = l.toString();
      }
      Path out = dir.resolve(name);
      PrepareImagesJob.run(spark, new PrepareConfig(images.toString(), out.toString(), "idx", null, labelFile, false, null, null,
          1, 0, 1_000_000, 2, 1, false));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] idxImages(int[] patterns, long seed) {
    Random r = new Random(seed);
    ByteBuffer b = ByteBuffer.allocate(16 + patterns.length * SIDE * SIDE);
    b.putInt(0x00000803).putInt(patterns.length).putInt(SIDE).putInt(SIDE);
    for (int pattern : patterns) {
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          boolean on = switch (pattern) {
            case 0 -> y % 2 == 0;
            case 1 -> x % 2 == 0;
            default -> (x + y) % 2 == 0;
          };
          int v = (on ? 200 : 50) + r.nextInt(81) - 40;
          b.put((byte) v);
        }
      }
    }
    return b.array();
  }

  static byte[] idxLabels(int[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(0x00000801).putInt(labels.length);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.array();
  }

  /** An (untrained) SimCLR small-cnn network for 1x8x8 images, initialised with {@code seed}. */
  static ComputationGraph network(long seed) {
    return new SimClr(SimClrConfig.defaults()).build(new SmallCnn(), new InputShape(1, SIDE, SIDE),
        GraphSettings.of(seed, OptimizerConfig.adam(1e-3, 0, 1)));
  }

  /** Saves {@link #network(long)} as a complete checkpoint of a run at {@code runDir}, as pretrain does. */
  public static Checkpoint checkpoint(SparkSession spark, Path runDir, long seed) {
    SortedMap<String, SortedMap<String, String>> options = new TreeMap<>();
    options.put("method", new TreeMap<>(Map.of("--temperature", "" + SimClrConfig.DEFAULT_TEMPERATURE, "--projection-hidden",
        "" + SimClrConfig.DEFAULT_HIDDEN, "--projection-dim", "" + SimClrConfig.DEFAULT_PROJECTION_DIM)));
    options.put("training", new TreeMap<>(Map.of("--method", "simclr", "--encoder", SmallCnn.NAME, "--seed", "" + seed)));
    RunInfo info = new RunInfo(RunInfo.FORMAT_VERSION, SimClr.NAME, SmallCnn.NAME, "representation", 128,
        InputInfo.of(new InputShape(1, SIDE, SIDE)), options, "test-data", "0".repeat(64),
        new TreeMap<>(Map.of("java", System.getProperty("java.version"))), "test", seed, 1, 0, 1, 1, 1, 0.0, true);
    return new RunDirectory(runDir.toString(), spark.sparkContext().hadoopConfiguration()).save(network(seed), info, new byte[0], java.util.Map.of(), 1);
  }
}
