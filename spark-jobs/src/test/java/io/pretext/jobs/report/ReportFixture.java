package io.pretext.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.data.testing.SharedSpark;
import io.pretext.data.testing.TestImages;
import io.pretext.jobs.cli.PretextCli;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A real run to report on, made once per test JVM through the real CLI (prepare-images, pretrain with the kNN
 * monitor, evaluate of the trained encoder and both baselines, report), shared by the report's tests.
 *
 * <p>The corpus is a folder of 16x16 gray PNGs in three classes (horizontal stripes, vertical stripes, a
 * checkerboard, with per-pixel noise so no two are duplicates), plus one exact duplicate and broken files: an
 * empty file, a text file, a truncated PNG, a truncated JPEG, a CMYK JPEG and a PNG whose header declares 50,000 x
 * 50,000 pixels. Labeled train and test sets of the same classes are prepared with {@code --label-from-folder}.
 */
final class ReportFixture {
  static final String[] CLASSES = {"checker", "stripes-h", "stripes-v"};
  static final int QUERIES = 3;
  private static ReportFixture instance;

  final Path root;
  final Path corpus;
  final Path train;
  final Path test;
  final Path run;
  final Path report;
  final String reportOut;

  private ReportFixture(Path root) throws IOException {
    this.root = root;
    Path images = root.resolve("images");
    writeClasses(images.resolve("corpus"), 30, 1, false);
    writeBroken(images.resolve("corpus"));
    writeClasses(images.resolve("train"), 20, 2, true);
    writeClasses(images.resolve("test"), 10, 3, true);
    corpus = root.resolve("corpus");
    train = root.resolve("train");
    test = root.resolve("test");
    run = root.resolve("run");
    report = run.resolve("report.html");
    cli("prepare-images", "--input", images.resolve("corpus").toString(), "--output", corpus.toString(), "--resize", "16", "--shards", "2");
    cli("prepare-images", "--input", images.resolve("train").toString(), "--output", train.toString(), "--label-from-folder",
        "--shards", "2");
    cli("prepare-images", "--input", images.resolve("test").toString(), "--output", test.toString(), "--label-from-folder", "--shards", "2");
    // 90 records / (1 worker x 8 x 2) = 5 rounds per epoch.
    cli("pretrain", "--data", corpus.toString(), "--run", run.toString(), "--encoder", "small-cnn", "--workers", "1",
        "--batch-size-per-worker", "8", "--averaging-frequency", "2", "--epochs", "2", "--projection-hidden", "32", "--projection-dim",
        "16", "--checkpoint-every", "4", "--seed", "7", "--monitor", train.toString());
    for (String features : new String[] {"trained", "random", "pixels"}) {
      cli("evaluate", "--model", run.toString(), "--train", train.toString(), "--test", test.toString(), "--features", features,
          "--protocol", features.equals("pixels") ? "linear" : "both", "--max-iter", "5", "--k", "10");
    }
    reportOut = cli("report", "--run", run.toString(), "--labeled", test.toString(), "--queries", "" + QUERIES, "--view-rows", "4");
  }

  static synchronized ReportFixture get() {
    if (instance == null) {
      try {
        Path root = Files.createTempDirectory("pretext-report-fixture");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
        instance = new ReportFixture(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** Runs the CLI in this JVM (on the shared Spark session); fails unless it exits 0; returns stdout. */
  static String cli(String... args) {
    SharedSpark.get();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PretextCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(PretextCli.EXIT_OK, code, String.join(" ", args) + "\n" + err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  static byte[] pattern(int cls, long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        boolean on = switch (cls) {
          case 0 -> (x / 4 + y / 4) % 2 == 0;
          case 1 -> y % 4 < 2;
          default -> x % 4 < 2;
        };
        int v = (on ? 200 : 50) + r.nextInt(81) - 40;
        img.getRaster().setSample(x, y, 0, v);
      }
    }
    return TestImages.encode(img, "png");
  }

  private static void writeClasses(Path dir, int perClass, int salt, boolean folders) throws IOException {
    for (int c = 0; c < CLASSES.length; c++) {
      Path d = Files.createDirectories(folders ? dir.resolve(CLASSES[c]) : dir);
      for (int i = 0; i < perClass; i++) {
        Files.write(d.resolve(CLASSES[c] + "-" + i + ".png"), pattern(c, salt * 100_000L + c * 1000L + i));
      }
    }
  }

  private static void writeBroken(Path dir) throws IOException {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.write(bad.resolve("copy.png"), Files.readAllBytes(dir.resolve(CLASSES[0] + "-0.png")));
    Files.write(bad.resolve("empty.png"), new byte[0]);
    Files.write(bad.resolve("notes.txt"), "not an image".getBytes(StandardCharsets.UTF_8));
    Files.write(bad.resolve("cut.png"), TestImages.truncate(TestImages.encode(TestImages.rgb(64, 64, 7), "png"), 0.5));
    Files.write(bad.resolve("cut.jpg"), TestImages.truncate(TestImages.encode(TestImages.rgb(64, 64, 8), "jpeg"), 0.6));
    Files.write(bad.resolve("cmyk.jpg"), TestImages.cmykJpeg(8, 8));
    Files.write(bad.resolve("bomb.png"), TestImages.hugeHeaderPng(50_000, 50_000));
  }

  private static void delete(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
