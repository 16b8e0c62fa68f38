package io.pretext.jobs.pretrain;

import static io.pretext.jobs.pretrain.Runs.crashAfter;
import static io.pretext.jobs.pretrain.Runs.latest;
import static io.pretext.jobs.pretrain.Runs.metrics;
import static io.pretext.jobs.pretrain.Runs.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.prep.PrepareConfig;
import io.pretext.data.prep.PrepareImagesJob;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.cli.PretextCli;
import io.pretext.jobs.generative.Reconstruct;
import io.pretext.jobs.report.ReportConfig;
import io.pretext.jobs.report.RunReport;
import io.pretext.jobs.run.Checkpoint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoencoder and the VAE on the real pretrain path: a VAE run stopped and resumed mid-epoch (inside its KL warm-up)
 * ends on the same loss and weights as an uninterrupted one; the reconstruction monitor writes its lines (with kNN on a
 * labelled holdout); {@code pretext reconstruct} draws the grid, scores the reconstructions against PCA fitted on the
 * training images, and refuses what it cannot do.
 */
class GenerativeRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path data;
  static Path labelled;
  static SparkSession spark;

  @BeforeAll
  static void corpus() throws IOException {
    spark = SharedSpark.get();
    data = TinyCorpus.prepare(tmp.resolve("corpus"), 240);
    labelled = TinyCorpus.prepareLabelled(tmp.resolve("labelled"), 90);
  }

  static PretrainConfig config(String method, Path run, boolean resume, String... more) {
    return Runs.config(List.of("--method", method, "--data", data.toString(), "--workers", "1", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--epochs", "2", "--lr", "4e-3", "--seed", "7", "--checkpoint-every", "3", "--keep-checkpoints",
        "2"), run, resume, more);
  }

  @Test
  void vaeResumedMidEpochEndsOnTheSameLossAndWeights() {
    Path whole = tmp.resolve("vae-whole");
    PretrainJob.Result a = train(config("vae", whole, false, "--latent", "8"), List.of());
    Path cut = tmp.resolve("vae-cut");
    // 7 rounds per epoch, checkpoints every 3: the crash after round 5 resumes from round 3, inside the warm-up of epoch 0
    assertThrows(RuntimeException.class, () -> train(config("vae", cut, false, "--latent", "8"), List.of(crashAfter(5))));
    assertEquals(3, latest(cut).info().roundsDone());
    PretrainJob.Result b = train(config("vae", cut, true, "--latent", "8"), List.of());
    assertTrue(b.resumed());
    Checkpoint ca = latest(whole);
    Checkpoint cb = latest(cut);
    var conf = spark.sparkContext().hadoopConfiguration();
    assertArrayEquals(ca.loadModel(conf).params().toFloatVector(), cb.loadModel(conf).params().toFloatVector(), 0f, "the same weights");
    assertEquals(a.finalLoss(), b.finalLoss(), 0.0, "the same loss");
  }

  @Test
  void autoencoderIsMonitoredAndReconstructedAgainstPca() throws IOException {
    Path run = tmp.resolve("ae");
    train(config("autoencoder", run, false, "--code-dim", "8", "--monitor", labelled.toString(), "--epochs", "3"), List.of());
    List<JsonNode> rec = metrics(run, "reconstruction");
    assertEquals(3, rec.size(), "one line per epoch");
    assertEquals(90, rec.get(0).get("images").asInt());
    double first = rec.get(0).get("mse").asDouble();
    double last = rec.get(2).get("mse").asDouble();
    assertTrue(last < first, "held-out error falls: " + first + " -> " + last);
    assertFalse(rec.get(0).has("negativeElbo"), "an autoencoder has no ELBO");
    assertEquals(3, metrics(run, "knn").size(), "the holdout has labels, so kNN is monitored too");

    Path png = tmp.resolve("grid.png");
    Cli c = cli("reconstruct", "--model", run.toString(), "--data", labelled.toString(), "--output", png.toString(), "--count", "12",
        "--pca-train", data.toString(), "--master", "local[2]");
    assertEquals(PretextCli.EXIT_OK, c.code(), c.err());
    JsonNode json = last(c.out());
    assertEquals("autoencoder", json.get("method").asText());
    assertEquals(90, json.get("images").asInt());
    assertEquals(8, json.get("pcaComponents").asInt());
    double mse = json.get("mse").asDouble();
    double pca = json.get("pcaMse").asDouble();
    assertTrue(mse > 0 && pca > 0 && pca < 0.1, "errors per pixel in [0, 1] units: " + mse + ", PCA " + pca);
    assertEquals(last, mse, 1e-5, "the monitor scored the same 90 images with the same network");
    BufferedImage grid = ImageIO.read(png.toFile());
    assertNotNull(grid);
    // 12 images: rows of 8 and 4, each above its reconstructions: 4 rows of 56-pixel tiles, 8 columns, 2-pixel gutters
    assertEquals(4 * 56 + 5 * 2, grid.getHeight());
    assertEquals(8 * 56 + 9 * 2, grid.getWidth());

    Cli samples = cli("reconstruct", "--model", run.toString(), "--data", labelled.toString(), "--output", tmp.resolve("s.png").toString(),
        "--samples", "4", "--master", "local[2]");
    assertEquals(PretextCli.EXIT_FAILED, samples.code(), samples.err());
    assertTrue(samples.err().contains("--samples") && samples.err().contains("vae"), samples.err());
    assertFalse(Files.exists(tmp.resolve("s.png")), "nothing written");
  }

  @Test
  void vaeDrawsSamplesAndReportsItsElbo() throws IOException {
    Path run = tmp.resolve("vae-samples");
    train(config("vae", run, false, "--latent", "4", "--epochs", "1"), List.of());
    Path png = tmp.resolve("vae.png");
    Cli c = cli("reconstruct", "--model", run.toString(), "--data", labelled.toString(), "--output", png.toString(), "--count", "8",
        "--samples", "8", "--master", "local[2]");
    assertEquals(PretextCli.EXIT_OK, c.code(), c.err());
    JsonNode json = last(c.out());
    assertEquals(8, json.get("samples").asInt());
    assertEquals(0, json.get("interpolations").asInt());
    // Bounds from the images the test wrote, not from the code: the negative ELBO per image is at least the targets'
    // entropy (a Bernoulli cross-entropy of x is never below that of x with itself, and the KL term is never negative),
    // and after an epoch it is below a decoder that says 0.5 for every pixel (256 ln 2 = 177.4 nats, its KL 0). When
    // written: 156.2, floor 105.6.
    double elbo = json.get("negativeElbo").asDouble();
    double floor = meanTargetEntropy(tmp.resolve("labelled").resolve("tiny-images-idx3-ubyte"));
    assertTrue(elbo > floor, "negative ELBO " + elbo + " above the targets' entropy " + floor);
    assertTrue(elbo < 256 * Math.log(2), "negative ELBO " + elbo + " below a coin per pixel's " + 256 * Math.log(2));
    assertEquals(2 * 56 + 3 * 2 + 56 + 2, ImageIO.read(png.toFile()).getHeight(), "inputs, reconstructions, then one row of samples");

    Path lines = tmp.resolve("vae-lines.png");
    Cli interpolated = cli("reconstruct", "--model", run.toString(), "--data", labelled.toString(), "--output", lines.toString(), "--count",
        "8", "--interpolate", "10", "--master", "local[2]");
    assertEquals(PretextCli.EXIT_OK, interpolated.code(), interpolated.err());
    assertEquals(4, last(interpolated.out()).get("interpolations").asInt(), "four pairs of the eight inputs");
    BufferedImage withLines = ImageIO.read(lines.toFile());
    assertEquals(6 * 56 + 7 * 2, withLines.getHeight(), "inputs, reconstructions, then four interpolation rows");
    assertEquals(10 * 56 + 11 * 2, withLines.getWidth(), "rows of ten");
    Cli one = cli("reconstruct", "--model", run.toString(), "--data", labelled.toString(), "--output", tmp.resolve("x.png").toString(),
        "--interpolate", "1", "--master", "local[2]");
    assertEquals(PretextCli.EXIT_USAGE, one.code(), one.err());
    assertTrue(one.err().contains("--interpolate"), one.err());

    // written into the run directory, the grid is what the run report shows
    Cli inRun = cli("reconstruct", "--model", run.toString(), "--data", labelled.toString(), "--output",
        run.resolve(Reconstruct.GRID).toString(), "--count", "8", "--master", "local[2]");
    assertEquals(PretextCli.EXIT_OK, inRun.code(), inRun.err());
    RunReport.write(spark, ReportConfig.defaults(run.toString()), line -> { });
    String html = Files.readString(run.resolve("report.html"));
    int section = html.indexOf("id=\"reconstructions\"");
    assertTrue(section > 0, "a Reconstructions section");
    assertTrue(html.indexOf("data:image/png;base64,", section) > 0, "with the grid inline");
  }

  /**
   * The GAN's two networks across a crash: the discriminator (the run's graph) and the generator with its Adam state
   * (the method's state) of a run resumed mid-epoch equal those of an uninterrupted run, bit for bit; the generator's
   * loss is logged per epoch; {@code reconstruct} draws the generator's samples without a dataset; the run cannot be
   * resumed as a VAE.
   */
  @Test
  void ganResumedMidEpochEndsOnTheSameDiscriminatorAndGenerator() throws IOException {
    Path whole = tmp.resolve("gan-whole");
    PretrainJob.Result a = train(config("gan", whole, false, "--noise-dim", "8"), List.of());
    Path cut = tmp.resolve("gan-cut");
    assertThrows(RuntimeException.class, () -> train(config("gan", cut, false, "--noise-dim", "8"), List.of(crashAfter(5))));
    assertEquals(3, latest(cut).info().roundsDone());
    PretrainJob.Result b = train(config("gan", cut, true, "--noise-dim", "8"), List.of());
    assertTrue(b.resumed());
    var conf = spark.sparkContext().hadoopConfiguration();
    Checkpoint ca = latest(whole);
    Checkpoint cb = latest(cut);
    assertArrayEquals(ca.loadModel(conf).params().toFloatVector(), cb.loadModel(conf).params().toFloatVector(), 0f, "the same discriminator");
    byte[] generator = ca.loadState(conf);
    assertTrue(generator.length > 1000, "the checkpoint holds the generator: " + generator.length + " bytes");
    assertArrayEquals(generator, cb.loadState(conf), "the same generator and generator optimiser state");
    assertEquals(a.finalLoss(), b.finalLoss(), 0.0, "the same loss");
    List<JsonNode> gan = metrics(whole, "gan");
    assertEquals(2, gan.size(), "one line per epoch");
    // the generator's loss of the last epoch, all of it after the resume, is the same in both runs (and a number: -ln D(G(z)) > 0)
    double generatorLoss = gan.get(1).get("generatorLoss").asDouble();
    assertTrue(generatorLoss > 0, gan.toString());
    List<JsonNode> ganCut = metrics(cut, "gan");
    assertEquals(generatorLoss, ganCut.get(ganCut.size() - 1).get("generatorLoss").asDouble(), 0.0, gan + " / " + ganCut);

    Path png = tmp.resolve("gan.png");
    Cli c = cli("reconstruct", "--model", whole.toString(), "--output", png.toString(), "--count", "16", "--master", "local[2]");
    assertEquals(PretextCli.EXIT_OK, c.code(), c.err());
    JsonNode json = last(c.out());
    assertEquals(16, json.get("samples").asInt());
    assertFalse(json.has("mse"), "a GAN reconstructs nothing");
    BufferedImage grid = ImageIO.read(png.toFile());
    assertEquals(2 * 56 + 3 * 2, grid.getHeight(), "two rows of 8 samples");
    Cli again = cli("reconstruct", "--model", whole.toString(), "--output", tmp.resolve("gan2.png").toString(), "--count", "16",
        "--master", "local[2]");
    assertEquals(PretextCli.EXIT_OK, again.code(), again.err());
    assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(tmp.resolve("gan2.png")), "samples are a function of --seed");

    Cli pca = cli("reconstruct", "--model", whole.toString(), "--output", tmp.resolve("never.png").toString(), "--pca-train",
        data.toString(), "--master", "local[2]");
    assertEquals(PretextCli.EXIT_FAILED, pca.code());
    assertTrue(pca.err().contains("--pca-train"), pca.err());
    assertFalse(Files.exists(tmp.resolve("never.png")));

    long before = Files.list(whole.resolve("checkpoints")).count();
    RuntimeException e = assertThrows(RuntimeException.class, () -> train(config("vae", whole, true), List.of()));
    assertTrue(e.getMessage().contains("gan") && e.getMessage().contains("vae"), e.getMessage());
    assertEquals(before, Files.list(whole.resolve("checkpoints")).count(), "nothing written");
  }

  @Test
  void reconstructRefusesARunThatDoesNotReconstruct() {
    Path run = tmp.resolve("simclr");
    train(Runs.config(List.of("--method", "simclr", "--data", data.toString(), "--workers", "1", "--batch-size-per-worker", "16",
        "--epochs", "1", "--seed", "1"), run, false), List.of());
    Path png = tmp.resolve("never.png");
    Cli c = cli("reconstruct", "--model", run.toString(), "--data", labelled.toString(), "--output", png.toString(), "--master", "local[2]");
    assertEquals(PretextCli.EXIT_FAILED, c.code(), c.err());
    assertTrue(c.err().contains("simclr") && c.err().contains("autoencoder or gan or vae"), c.err());
    assertFalse(Files.exists(png));
  }

  @Test
  void aMonitorOfAnotherImageSizeIsRefusedBeforeTraining() {
    Path small = tmp.resolve("small");
    PrepareImagesJob.run(spark, new PrepareConfig(
        tmp.resolve("corpus").resolve("tiny-images-idx3-ubyte").toString(), small.toString(), "idx", null, null, false, null, null, 1, 8,
        1_000_000, 1, 1, false));
    Path run = tmp.resolve("ae-small-monitor");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> train(config("autoencoder", run, false, "--monitor", small.toString()), List.of()));
    assertTrue(e.getMessage().contains("--monitor") && e.getMessage().contains("--resize 16"), e.getMessage());
    assertFalse(Files.exists(run.resolve("checkpoints")), "nothing trained");
  }

  /**
   * The mean over the images of an IDX file of {@code -sum_j (x_j ln x_j + (1 - x_j) ln(1 - x_j))}, {@code x_j} the
   * pixel / 255: the least negative ELBO any Bernoulli decoder can reach on them.
   */
  static double meanTargetEntropy(Path idx) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(idx));
    b.getInt();
    int n = b.getInt();
    int pixels = b.getInt() * b.getInt();
    double sum = 0;
    for (int i = 0; i < n * pixels; i++) {
      double x = (b.get() & 0xFF) / 255.0;
      sum -= (x > 0 ? x * Math.log(x) : 0) + (x < 1 ? (1 - x) * Math.log(1 - x) : 0);
    }
    return sum / n;
  }

  record Cli(int code, String out, String err) {}

  static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PretextCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static JsonNode last(String out) throws IOException {
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }
}
