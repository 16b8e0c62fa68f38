package io.pretext.jobs.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.cli.CliRunner;
import io.pretext.jobs.eval.TextEvalFixtures;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretext finetune} on text through the real entry point: a one-layer BERT masked-LM checkpoint fine-tuned to
 * tell three classes of documents apart by their words (some documents several windows long); the splits keep a
 * document's windows together and carry the model's vocabulary; a dataset tokenised with another vocabulary is refused.
 */
class TextFineTuneTest {
  @TempDir static Path tmp;
  static Path train;
  static Path test;
  static Path pretrained;
  static Path run;
  static CliRunner.Outcome fineTuned;

  @BeforeAll
  static void fineTune() {
    SparkSession spark = SharedSpark.get();
    train = TextEvalFixtures.prepare(spark, TextEvalFixtures.corpus(tmp, "train", 240, 1), tmp.resolve("train"), null);
    test = TextEvalFixtures.prepare(spark, TextEvalFixtures.corpus(tmp, "test", 90, 2), tmp.resolve("test"),
        TextEvalFixtures.vocabFile(train));
    pretrained = tmp.resolve("mlm");
    TextEvalFixtures.checkpoint(spark, pretrained, train, 3);
    run = tmp.resolve("ft");
    fineTuned = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", train.toString(), "--test", test.toString(),
        "--run", run.toString(), "--epochs", "12", "--lr", "1e-2", "--encoder-lr-scale", "1", "--workers", "1",
        "--batch-size-per-worker", "16", "--averaging-frequency", "2", "--seed", "4");
  }

  @Test
  void theClassifierLearnsTheClassesOfDocuments() {
    assertEquals(0, fineTuned.code(), fineTuned.err());
    assertEquals(3, fineTuned.json().get("classes").asInt());
    assertEquals(216, fineTuned.json().get("trainRecords").asInt(), "documents: 80 per class, 8 held out");
    assertTrue(fineTuned.json().get("final").get("test").asDouble() >= 0.85, fineTuned.json().toString());
    RunInfo info = new RunDirectory(run.toString(), SharedSpark.get().sparkContext().hadoopConfiguration()).latest().orElseThrow().info();
    assertEquals("finetune-text", info.method());
    assertEquals("text", info.input().kind());
  }

  @Test
  void theSplitsKeepEachDocumentsWindowsAndTheVocabulary() throws Exception {
    assertEquals(0, fineTuned.code(), fineTuned.err());
    SparkSession spark = SharedSpark.get();
    PreparedDataset split = PreparedDataset.open(run.resolve("splits/train").toString(), spark);
    assertEquals(Files.readString(train.resolve("vocab.txt")), Files.readString(run.resolve("splits/train/vocab.txt")));
    assertEquals(216, split.manifest().text().documents());
    Row counts = split.records(spark).groupBy(TextRecords.ID).agg(functions.count(functions.lit(1)).as("n"),
        functions.first(TextRecords.WINDOWS).as("w")).filter("n != w").agg(functions.count(functions.lit(1))).first();
    assertEquals(0L, counts.getLong(0), "every document of the split has all its windows");
    assertTrue(split.manifest().text().windowedDocuments() > 0, "the fixture has documents of several windows");
    assertEquals(split.records(spark).count(), split.manifest().text().sequences());
  }

  @Test
  void predictScoresEveryDocumentOfAPreparedTextDataset() {
    assertEquals(0, fineTuned.code(), fineTuned.err());
    CliRunner.Outcome o = CliRunner.run("predict", "--model", run.toString(), "--input", test.toString(), "--output",
        tmp.resolve("pred").toString());
    assertEquals(0, o.code(), o.err());
    assertEquals(90, o.json().get("records").asInt());
    long right = SharedSpark.get().read().parquet(tmp.resolve("pred/predictions").toString()).join(
        PreparedDataset.open(test.toString(), SharedSpark.get()).records(SharedSpark.get()).select(TextRecords.ID, TextRecords.LABEL).distinct(),
        "id").filter("predicted = label").count();
    assertTrue(right >= 75, right + " of 90");
  }

  @Test
  void aDatasetTokenisedWithAnotherVocabularyIsRefused() {
    Path other = TextEvalFixtures.prepare(SharedSpark.get(), TextEvalFixtures.corpus(tmp, "other", 60, 5), tmp.resolve("other"), null);
    CliRunner.Outcome o = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", other.toString(), "--test", test.toString(),
        "--run", tmp.resolve("ft-other").toString());
    assertFalse(o.code() == 0);
    assertTrue(o.err().contains("another vocabulary") && o.err().contains("prepare-text --vocab"), o.err());
    assertFalse(Files.exists(tmp.resolve("ft-other")));
    Path pictures = io.pretext.jobs.eval.EvalFixtures.dataset(SharedSpark.get(), tmp, "pictures", io.pretext.jobs.eval.EvalFixtures.balancedLabels(30),
        io.pretext.jobs.eval.EvalFixtures.balancedLabels(30), 6);
    CliRunner.Outcome textOnImages = CliRunner.run("finetune", "--model", pretrained.toString(), "--train", pictures.toString(), "--test",
        pictures.toString(), "--run", tmp.resolve("ft-pictures").toString());
    assertFalse(textOnImages.code() == 0);
    assertTrue(textOnImages.err().contains("is a text model") && textOnImages.err().contains("holds image"), textOnImages.err());
    assertFalse(Files.exists(tmp.resolve("ft-pictures")));
    CliRunner.Outcome images = CliRunner.run("predict", "--model", run.toString(), "--input", tmp.resolve("train.jsonl").toString(),
        "--output", tmp.resolve("pred-raw").toString());
    assertFalse(images.code() == 0);
    assertTrue(images.err().contains("prepare-text --vocab"), images.err());
  }
}
