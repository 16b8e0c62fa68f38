package io.pretext.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.DatasetException;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.cli.PretextCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} end to end: real prepare-images datasets, real Spark local[2], the real CLI. */
class EvaluateTest {
  static final int TRAIN = 300;
  static final int TEST = 150;

  @TempDir static Path tmp;
  static SparkSession spark;
  static Path train;
  static Path test;
  static Path trainShuffled;
  static Path testShuffled;
  static Path run;

  @BeforeAll
  static void datasets() {
    spark = SharedSpark.get();
    int[] trainPatterns = EvalFixtures.balancedLabels(TRAIN);
    int[] testPatterns = EvalFixtures.balancedLabels(TEST);
    train = EvalFixtures.dataset(spark, tmp, "train", trainPatterns, trainPatterns, 1);
    test = EvalFixtures.dataset(spark, tmp, "test", testPatterns, testPatterns, 2);
    trainShuffled = EvalFixtures.dataset(spark, tmp, "train-shuffled", trainPatterns, EvalFixtures.shuffled(trainPatterns, 7), 1);
    testShuffled = EvalFixtures.dataset(spark, tmp, "test-shuffled", testPatterns, EvalFixtures.shuffled(testPatterns, 8), 2);
    run = tmp.resolve("run");
    EvalFixtures.checkpoint(spark, run, 42);
  }

  static EvaluateConfig pixels(Path trainData, Path testData) {
    return EvaluateConfig.defaults(null, trainData.toString(), testData.toString(), Protocol.BOTH, FeatureKind.PIXELS);
  }

  @Test
  void separableClassesAreClassifiedByBothProtocols() {
    List<String> progress = new ArrayList<>();
    EvaluationResult r = Evaluate.run(spark, pixels(train, test), progress::add);
    assertEquals("pixels", r.features());
    assertEquals(EvalFixtures.SIDE * EvalFixtures.SIDE, r.dimension());
    assertEquals(TRAIN, r.train());
    assertEquals(TEST, r.test());
    assertTrue(r.results().get("linear") > 0.9, "linear " + r.results());
    assertTrue(r.results().get("knn") > 0.9, "knn " + r.results());
    assertEquals(List.of("linear", "knn"), List.copyOf(r.results().keySet()));
    assertEquals(4, progress.size(), String.join("\n", progress));
  }

  /**
   * Labels carrying no information give chance accuracy. Both the train and the test labels are
   * permuted (fixed seeds): if only the train labels were, a classifier mapping each of the three
   * patterns to one label would score 0, 1/3, 2/3 or 1, not something concentrated around chance.
   * With test labels independent of the predictions, accuracy is about Binomial(150, 1/3) / 150:
   * standard deviation sqrt(1/3 * 2/3 / 150) = 0.038, so the tolerance 0.15 is 3.9 standard deviations.
   */
  @Test
  void shuffledLabelsGiveChanceAccuracy() {
    EvaluationResult r = Evaluate.run(spark, pixels(trainShuffled, testShuffled));
    for (String protocol : List.of("linear", "knn")) {
      double acc = r.results().get(protocol);
      assertTrue(Math.abs(acc - 1.0 / 3) < 0.15, protocol + " " + acc);
    }
  }

  @Test
  void trainedCheckpointThroughTheCli() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PretextCli.run(new String[] {"evaluate", "--model", run.toString(), "--train", train.toString(), "--test", test.toString(),
        "--protocol", "knn", "--k", "20", "--master", "local[2]"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(PretextCli.EXIT_OK, code, stderr);
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertEquals("evaluate", json.get("command").asText());
    assertEquals("ok", json.get("status").asText());
    assertEquals("trained", json.get("features").asText());
    assertEquals(128, json.get("dimension").asInt());
    assertEquals(TRAIN, json.get("train").asLong());
    assertEquals(TEST, json.get("test").asLong());
    double knn = json.get("results").get("knn").asDouble();
    // What the CLI reports is what evaluation computes with the same settings (kNN is deterministic) ...
    EvaluateConfig d = EvaluateConfig.defaults(run.toString(), train.toString(), test.toString(), Protocol.KNN, FeatureKind.TRAINED);
    EvaluateConfig same = new EvaluateConfig(d.model(), d.train(), d.test(), d.protocol(), d.features(), 20, d.knnTemperature(),
        d.maxIter(), d.reg(), d.batchSize(), d.seed());
    assertEquals(Evaluate.run(spark, same).results().get("knn"), knn, 0.0, json.toString());
    // ... and even the untrained encoder's features separate the three patterns, far above chance (1/3) as raw pixels do.
    assertTrue(knn > 0.9, json.toString());
    assertTrue(!json.get("results").has("linear"), json.toString());
    assertTrue(stderr.contains("evaluate: kNN accuracy"), stderr);
  }

  @Test
  void randomEncoderIsTheRunsArchitectureWithFreshWeights() {
    // The fixture checkpoint is an untrained init with seed 42: --features random --seed 42 must
    // rebuild exactly it (same architecture and head), and another seed must not.
    EvaluateConfig trained = new EvaluateConfig(run.toString(), train.toString(), test.toString(), Protocol.KNN, FeatureKind.TRAINED,
        20, 0.07, 100, 1e-4, 64, 42);
    EvaluateConfig same = new EvaluateConfig(run.toString(), train.toString(), test.toString(), Protocol.KNN, FeatureKind.RANDOM,
        20, 0.07, 100, 1e-4, 64, 42);
    EvaluateConfig other = new EvaluateConfig(run.toString(), train.toString(), test.toString(), Protocol.KNN, FeatureKind.RANDOM,
        20, 0.07, 100, 1e-4, 64, 7);
    double a = Evaluate.run(spark, trained).results().get("knn");
    EvaluationResult b = Evaluate.run(spark, same);
    assertEquals("random", b.features());
    assertEquals(a, b.results().get("knn"), 1e-12);
    var checkpoint = io.pretext.jobs.run.RunDirectory.resolve(run.toString(), spark.sparkContext().hadoopConfiguration());
    assertEquals(EvalFixtures.network(42).params(), MethodRebuild.randomInit(checkpoint.info(), 42).params());
    assertNotEquals(EvalFixtures.network(42).params(), MethodRebuild.randomInit(checkpoint.info(), 7).params());
    Evaluate.run(spark, other); // runs; its accuracy may differ
  }

  @Test
  void unlabeledRecordsAreRefusedWithTheirCount() {
    Path unlabeled = EvalFixtures.dataset(spark, tmp, "unlabeled", EvalFixtures.balancedLabels(30), null, 3);
    DatasetException e = assertThrows(DatasetException.class, () -> Evaluate.run(spark, pixels(unlabeled, test)));
    assertTrue(e.getMessage().contains("--train") && e.getMessage().contains("30 of 30 records have no label"), e.getMessage());
  }

  @Test
  void datasetWithoutSuccessIsRefused() throws IOException {
    Path half = EvalFixtures.dataset(spark, tmp, "half", EvalFixtures.balancedLabels(30), EvalFixtures.balancedLabels(30), 4);
    Files.delete(half.resolve("_SUCCESS"));
    Cli r = cli("evaluate", "--features", "pixels", "--train", train.toString(), "--test", half.toString());
    assertEquals(PretextCli.EXIT_FAILED, r.code, r.err);
    assertTrue(r.err.contains("incomplete") && r.err.contains("_SUCCESS"), r.err);
    assertTrue(r.out.contains("\"status\":\"failed\""), r.out);
  }

  @Test
  void modelOfAnotherImageSizeIsRefused() {
    Path other = tmp.resolve("run-12");
    // A run whose run.json says 12x12: the message names both shapes.
    var info = io.pretext.jobs.run.RunDirectory.resolve(run.toString(), spark.sparkContext().hadoopConfiguration()).info();
    var bigger = new io.pretext.jobs.run.RunInfo(info.formatVersion(), info.method(), info.encoder(), info.representationVertex(),
        info.representationDim(), io.pretext.jobs.run.InputInfo.of(new io.pretext.model.InputShape(1, 12, 12)), info.options(),
        info.datasetUri(), info.datasetManifestSha256(), info.versions(), info.gitCommit(), info.seed(), 1, 0, 1, 1, 1, 0, true);
    new io.pretext.jobs.run.RunDirectory(other.toString(), spark.sparkContext().hadoopConfiguration())
        .save(EvalFixtures.network(1), bigger, new byte[0], java.util.Map.of(), 1);
    DatasetException e = assertThrows(DatasetException.class, () -> Evaluate.run(spark,
        EvaluateConfig.defaults(other.toString(), train.toString(), test.toString(), Protocol.KNN, FeatureKind.TRAINED)));
    assertTrue(e.getMessage().contains("image 1x12x12") && e.getMessage().contains("1x8x8"), e.getMessage());
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOptionAndTheAllowedValues() {
    Cli r = cli("evaluate", "--features", "pixels", "--train", "a", "--test", "b", "--protocol", "foo");
    assertEquals(PretextCli.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("--protocol") && r.err.contains("'foo'") && r.err.contains("linear, knn, both"), r.err);
    r = cli("evaluate", "--features", "pixels", "--train", "a", "--test", "b", "--k", "0");
    assertEquals(PretextCli.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("--k") && r.err.contains("'0'") && r.err.contains("integer >= 1"), r.err);
    r = cli("evaluate", "--features", "pixels", "--test", "b");
    assertEquals(PretextCli.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("--train"), r.err);
    r = cli("evaluate", "--features", "convnet", "--train", "a", "--test", "b");
    assertEquals(PretextCli.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("--features") && r.err.contains("trained, random, pixels"), r.err);
    r = cli("evaluate", "--train", "a", "--test", "b");
    assertEquals(PretextCli.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("--model") && r.err.contains("required unless --features pixels"), r.err);
    r = cli("evaluate", "--features", "pixels", "--train", "a", "--test", "b", "--knn-temperature", "0");
    assertEquals(PretextCli.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("--knn-temperature"), r.err);
    assertTrue(r.out.contains("\"status\":\"usage\""), r.out);
  }

  record Cli(int code, String out, String err) {}

  static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = PretextCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
