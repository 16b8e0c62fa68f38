package io.pretext.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.cli.CliRunner;
import io.pretext.jobs.eval.EvalFixtures;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretext finetune} and {@code pretext predict} through the real entry point, on three separable 8x8 patterns
 * (stripes both ways, a checkerboard) with a small-cnn SimCLR checkpoint as the pretrained run: the subsets are
 * stratified, seeded and nested; the classifier learns the patterns; predict classifies a prepared dataset and a raw
 * corpus with a broken file; wrong inputs are refused before anything is written.
 */
class FineTuneTest {
  @TempDir static Path tmp;
  static Path train;
  static Path test;
  static Path unlabeled;
  static Path pretrained;
  static Path run;
  static CliRunner.Outcome fineTuned;

  @BeforeAll
  static void fineTune() {
    SparkSession spark = SharedSpark.get();
    int[] trainLabels = EvalFixtures.balancedLabels(300);
    train = EvalFixtures.dataset(spark, tmp, "train", trainLabels, trainLabels, 1);
    int[] testLabels = EvalFixtures.balancedLabels(90);
    test = EvalFixtures.dataset(spark, tmp, "test", testLabels, testLabels, 2);
    unlabeled = EvalFixtures.dataset(spark, tmp, "unlabeled", testLabels, null, 3);
    pretrained = tmp.resolve("pretrained");
    EvalFixtures.checkpoint(spark, pretrained, 7);
    run = tmp.resolve("ft");
    // 270 training records (30 held out), rounds of 2 x 16 x 2 = 64: 4 rounds per epoch, 3 epochs
    fineTuned = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", train.toString(), "--test", test.toString(),
        "--run", run.toString(), "--epochs", "3", "--lr", "1e-2", "--workers", "2", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--seed", "5");
  }

  @Test
  void theClassifierLearnsThePatternsAndTheRunRecordsItsSource() throws IOException {
    assertEquals(0, fineTuned.code(), fineTuned.err());
    JsonNode json = fineTuned.json();
    assertEquals(3, json.get("classes").asInt());
    assertEquals(270, json.get("trainRecords").asInt());
    assertEquals(30, json.get("validationRecords").asInt());
    assertEquals(12, json.get("roundsDone").asInt());
    assertEquals(3, json.get("final").get("epoch").asInt());
    assertTrue(json.get("final").get("test").asDouble() >= 0.95, json.toString());
    assertTrue(json.get("selected").get("validation").asDouble() >= 0.95, json.toString());
    assertTrue(fineTuned.err().contains("encoder parameters from"), fineTuned.err());

    RunDirectory dir = new RunDirectory(run.toString(), SharedSpark.get().sparkContext().hadoopConfiguration());
    RunInfo info = dir.latest().orElseThrow().info();
    assertEquals("finetune", info.method());
    assertEquals("small-cnn", info.encoder());
    String sha = Files.readString(pretrained.resolve("checkpoints").toFile().listFiles()[0].toPath().resolve("model.zip.sha256")).split("\\s+")[0];
    assertEquals(sha, info.group("finetune").get("pretrained-model-sha256"));
    assertEquals("1.0", info.group("finetune").get("--label-fraction"));
    assertEquals("3", info.group("method").get("--classes"));
    assertEquals("16", info.group("training").get("--batch-size-per-worker"), "the command line overrides fine-tuning's default");
    long epochs = dir.readMetrics().stream().filter(l -> l.contains("\"type\":\"finetune\"")).count();
    assertEquals(3, epochs);
    CliRunner.Outcome report = CliRunner.run("report", "--run", run.toString());
    assertEquals(0, report.code(), report.err());
    CliRunner.Outcome evaluate = CliRunner.run("evaluate", "--model", run.toString(), "--train", train.toString(), "--test", test.toString(),
        "--protocol", "knn");
    assertEquals(0, evaluate.code(), evaluate.err());
    assertTrue(evaluate.json().get("results").get("knn").asDouble() >= 0.9, evaluate.out());
  }

  @Test
  void resumingAFinishedRunReusesItsSplitsAndTrainsNothingMore() {
    CliRunner.Outcome again = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", train.toString(), "--test",
        test.toString(), "--run", run.toString(), "--epochs", "3", "--lr", "1e-2", "--workers", "2", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--seed", "5", "--resume");
    assertEquals(0, again.code(), again.err());
    assertEquals(12, again.json().get("roundsDone").asInt());
    assertEquals(fineTuned.json().get("final").get("test").asDouble(), again.json().get("final").get("test").asDouble());
    CliRunner.Outcome other = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", train.toString(), "--test",
        test.toString(), "--run", run.toString(), "--epochs", "3", "--label-fraction", "0.5", "--lr", "1e-2", "--workers", "2",
        "--batch-size-per-worker", "16", "--averaging-frequency", "2", "--seed", "5", "--resume");
    assertFalse(other.code() == 0, other.out());
    assertTrue(other.err().contains("--label-fraction"), other.err());
  }

  /**
   * Fine-tuning is a method on the lifecycle, so {@code --sync allreduce} serves it unchanged: the warm-started network
   * reaches the workers (the driver's copy changed before the first segment), the per-epoch classifier scores read the
   * driver's copy loaded at each epoch's end, and with two workers the run equals the driver trainer's.
   */
  @Test
  void underAllReduceItTrainsWhatTheDriverTrainerTrains() {
    Path ring = tmp.resolve("ft-allreduce");
    CliRunner.Outcome o = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", train.toString(), "--test",
        test.toString(), "--run", ring.toString(), "--epochs", "3", "--lr", "1e-2", "--workers", "2", "--batch-size-per-worker", "16",
        "--averaging-frequency", "2", "--seed", "5", "--sync", "allreduce");
    assertEquals(0, o.code(), o.err());
    assertEquals(fineTuned.json().get("final").toString(), o.json().get("final").toString(), "the same scores after the last epoch");
    var conf = SharedSpark.get().sparkContext().hadoopConfiguration();
    assertArrayEquals(new RunDirectory(run.toString(), conf).latest().orElseThrow().loadModel(conf).params().toFloatVector(),
        new RunDirectory(ring.toString(), conf).latest().orElseThrow().loadModel(conf).params().toFloatVector(), 0f);
  }

  @Test
  void subsetsAreStratifiedSeededAndNested() {
    SparkSession spark = SharedSpark.get();
    PreparedDataset source = PreparedDataset.open(train.toString(), spark);
    LabelSplit small = LabelSplit.write(spark, source, train.toString(), "x", 9, 0.1, 0.1, tmp.resolve("split-small").toString());
    LabelSplit large = LabelSplit.write(spark, source, train.toString(), "x", 9, 0.5, 0.1, tmp.resolve("split-large").toString());
    LabelSplit again = LabelSplit.write(spark, source, train.toString(), "x", 9, 0.1, 0.1, tmp.resolve("split-again").toString());
    // 100 per class: 10 held out, then round(0.1 * 90) = 9 and round(0.5 * 90) = 45 to train
    for (int c = 0; c < 3; c++) {
      assertEquals(10L, small.validationPerClass().get(c));
      assertEquals(9L, small.trainPerClass().get(c));
      assertEquals(45L, large.trainPerClass().get(c));
    }
    Set<String> smallIds = ids(spark, small.train());
    Set<String> largeIds = ids(spark, large.train());
    assertEquals(27, smallIds.size());
    assertTrue(largeIds.containsAll(smallIds), "the 10% subset is inside the 50% one");
    assertEquals(smallIds, ids(spark, again.train()));
    assertEquals(ids(spark, small.validation()), ids(spark, large.validation()));
    Set<String> overlap = new HashSet<>(largeIds);
    overlap.retainAll(ids(spark, large.validation()));
    assertTrue(overlap.isEmpty(), "no validation record trains");
    assertEquals(9, LabelSplit.sizes(100, 0.1, 0.1)[1]);
    assertEquals(1, LabelSplit.sizes(3, 0.5, 0.01)[0], "a positive validation fraction holds out at least one record");
    assertEquals(1, LabelSplit.sizes(100, 0.001, 0.1)[1], "every class keeps at least one training record");
    assertEquals(0, LabelSplit.sizes(1, 0.5, 0.1)[1], "unless validation took its only one");
  }

  @Test
  void predictClassifiesAPreparedDatasetAndARawCorpusWithABrokenFile() throws IOException {
    assertEquals(0, fineTuned.code(), fineTuned.err());
    Path out = tmp.resolve("pred");
    CliRunner.Outcome o = CliRunner.run("predict", "--model", run.toString(), "--input", test.toString(), "--output", out.toString(),
        "--format", "json", "--top-k", "2");
    assertEquals(0, o.code(), o.err());
    assertEquals(90, o.json().get("records").asInt());
    List<Row> labels = PreparedDataset.open(test.toString(), SharedSpark.get()).records(SharedSpark.get())
        .select(ImageRecords.ID, ImageRecords.LABEL).collectAsList();
    java.util.Map<String, Integer> truth = new java.util.HashMap<>();
    labels.forEach(r -> truth.put(r.getString(0), r.getInt(1)));
    ObjectMapper mapper = new ObjectMapper();
    int right = 0;
    int lines = 0;
    for (Path part : Files.list(out.resolve("predictions")).filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
      for (String line : Files.readAllLines(part)) {
        JsonNode p = mapper.readTree(line);
        lines++;
        JsonNode top = p.get("topK");
        assertEquals(2, top.size());
        assertEquals(p.get("predicted").asInt(), top.get(0).get("class").asInt());
        assertEquals(p.get("probability").asDouble(), top.get(0).get("probability").asDouble(), 1e-12);
        assertTrue(top.get(0).get("probability").asDouble() >= top.get(1).get("probability").asDouble());
        assertTrue(top.get(0).get("probability").asDouble() + top.get(1).get("probability").asDouble() <= 1 + 1e-9);
        right += truth.get(p.get("id").asText()) == p.get("predicted").asInt() ? 1 : 0;
      }
    }
    assertEquals(90, lines);
    assertTrue(right >= 85, right + " of 90");

    Path raw = Files.createDirectories(tmp.resolve("raw"));
    for (int i = 0; i < 3; i++) {
      BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          boolean on = i == 0 ? y % 2 == 0 : i == 1 ? x % 2 == 0 : (x + y) % 2 == 0;
          img.getRaster().setSample(x, y, 0, on ? 200 : 50);
        }
      }
      ImageIO.write(img, "png", raw.resolve("img" + i + ".png").toFile());
    }
    Files.copy(raw.resolve("img0.png"), raw.resolve("copy-of-img0.png"));
    Files.write(raw.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path rawOut = tmp.resolve("pred-raw");
    CliRunner.Outcome r = CliRunner.run("predict", "--model", run.toString(), "--input", raw.toString(), "--output", rawOut.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(3, r.json().get("records").asInt());
    assertEquals(1, r.json().get("quarantined").asInt());
    assertEquals(1, r.json().get("duplicates").asInt());
    List<Row> rows = SharedSpark.get().read().parquet(rawOut.resolve("predictions").toString()).collectAsList();
    for (Row row : rows) {
      String source = row.getString(row.fieldIndex("source"));
      int expected = source.endsWith("img1.png") ? 1 : source.endsWith("img2.png") ? 2 : 0;
      assertEquals(expected, row.getInt(row.fieldIndex("predicted")), source);
    }
  }

  @Test
  void wrongInputsAreRefusedBeforeAnythingIsWritten() {
    CliRunner.Outcome noLabels = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", unlabeled.toString(), "--test",
        test.toString(), "--run", tmp.resolve("ft-unlabeled").toString());
    assertFalse(noLabels.code() == 0);
    assertTrue(noLabels.err().contains("have no label"), noLabels.err());
    assertFalse(Files.exists(tmp.resolve("ft-unlabeled")));

    CliRunner.Outcome zero = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", train.toString(), "--test",
        test.toString(), "--run", tmp.resolve("ft-zero").toString(), "--label-fraction", "0");
    assertEquals(2, zero.code(), zero.err());
    assertTrue(zero.err().contains("--label-fraction"), zero.err());

    CliRunner.Outcome above = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", train.toString(), "--test",
        test.toString(), "--run", tmp.resolve("ft-above").toString(), "--label-fraction", "1.5");
    assertEquals(2, above.code(), above.err());
    assertTrue(above.err().contains("--label-fraction") && above.err().contains("(0, 1]"), above.err());

    int[] oneOfClassTwo = new int[31];
    for (int i = 0; i < 30; i++) {
      oneOfClassTwo[i] = i % 2;
    }
    oneOfClassTwo[30] = 2;
    Path singleton = EvalFixtures.dataset(SharedSpark.get(), tmp, "singleton", oneOfClassTwo, oneOfClassTwo, 8);
    CliRunner.Outcome empty = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", singleton.toString(), "--test",
        test.toString(), "--run", tmp.resolve("ft-empty").toString(), "--label-fraction", "0.5");
    assertFalse(empty.code() == 0);
    assertTrue(empty.err().contains("leaves class 2 (1 records) without a training example"), empty.err());
    assertFalse(Files.exists(tmp.resolve("ft-empty").resolve("checkpoints")));

    CliRunner.Outcome notFineTuned = CliRunner.run("predict", "--model", pretrained.toString(), "--input", test.toString(), "--output",
        tmp.resolve("pred-simclr").toString());
    assertFalse(notFineTuned.code() == 0);
    assertTrue(notFineTuned.err().contains("predict needs a run of pretext finetune"), notFineTuned.err());
    assertFalse(Files.exists(tmp.resolve("pred-simclr")));

    CliRunner.Outcome pretrainIt = CliRunner.run("pretrain", "--method", "finetune", "--data", train.toString(), "--run",
        tmp.resolve("pt").toString());
    assertEquals(2, pretrainIt.code(), pretrainIt.err());
    assertTrue(pretrainIt.err().contains("trained by pretext finetune"), pretrainIt.err());
  }

  private static Set<String> ids(SparkSession spark, String uri) {
    Set<String> out = new HashSet<>();
    PreparedDataset.open(uri, spark).records(spark).select(ImageRecords.ID).collectAsList().forEach(r -> out.add(r.getString(0)));
    return out;
  }
}
