package io.pretext.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.fillmask.FillMask;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.model.encoder.Bert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code evaluate} and {@code embed} on text: real prepare-text datasets, a real mlm checkpoint, Spark local[2]. */
class TextEvaluateTest {
  static final int TRAIN = 240;
  static final int TEST = 90;

  @TempDir static Path tmp;
  static SparkSession spark;
  static Path train;
  static Path test;
  static Path foreignVocab;
  static Path run;

  @BeforeAll
  static void datasets() {
    spark = SharedSpark.get();
    train = TextEvalFixtures.prepare(spark, TextEvalFixtures.corpus(tmp, "train", TRAIN, 1), tmp.resolve("train"), null);
    test = TextEvalFixtures.prepare(spark, TextEvalFixtures.corpus(tmp, "test", TEST, 2), tmp.resolve("test"),
        TextEvalFixtures.vocabFile(train));
    // The test corpus with a vocabulary trained on itself: other ids for the same words.
    foreignVocab = TextEvalFixtures.prepare(spark, tmp.resolve("test.jsonl"), tmp.resolve("test-own-vocab"), null);
    run = tmp.resolve("run");
    TextEvalFixtures.checkpoint(spark, run, train, 1);
  }

  static EvaluateConfig config(FeatureKind features, Protocol protocol, Path testData) {
    return EvaluateConfig.defaults(features.baseline() ? null : run.toString(), train.toString(), testData.toString(), protocol, features);
  }

  static Checkpoint checkpoint() {
    return RunDirectory.resolve(run.toString(), spark.sparkContext().hadoopConfiguration());
  }

  /**
   * Direct reference: each window alone (no padding, batch of one), the final block's hidden states [1, T, H] averaged
   * over T by hand, then the windows of a document averaged. The Spark path batches sorted windows padded to the
   * longest, pools inside the graph, and averages by document id in an aggregation.
   */
  static Map<String, float[]> direct(ComputationGraph graph, Path dataset) {
    Map<String, List<float[]>> windows = new TreeMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (Row r : PreparedDataset.open(dataset.toString(), spark).records(spark).collectAsList()) {
      int[] ids = TextRecords.tokens(r);
      float[] f = new float[ids.length];
      for (int i = 0; i < ids.length; i++) {
        f[i] = ids[i];
      }
      INDArray input = Nd4j.create(f, new long[] {1, ids.length}, 'c');
      INDArray positions = Nd4j.zeros(DataType.FLOAT, 1, 1);
      INDArray hidden = graph.feedForward(new INDArray[] {input, positions}, false).get(Bert.BLOCK + "0");
      float[] mean = hidden.castTo(DataType.DOUBLE).mean(1).castTo(DataType.FLOAT).toFloatVector();
      List<float[]> list = windows.computeIfAbsent(TextRecords.id(r), k -> new ArrayList<>());
      while (list.size() <= TextRecords.window(r)) {
        list.add(null);
      }
      list.set(TextRecords.window(r), mean);
      counts.merge(TextRecords.id(r), TextRecords.windows(r), (a, b) -> a);
    }
    Map<String, float[]> out = new TreeMap<>();
    windows.forEach((id, list) -> {
      assertEquals(counts.get(id), list.size(), id);
      float[] sum = new float[list.get(0).length];
      for (float[] w : list) {
        for (int i = 0; i < sum.length; i++) {
          sum[i] += w[i] / list.size();
        }
      }
      out.put(id, sum);
    });
    return out;
  }

  static Map<String, float[]> features(FeatureKind kind, Path dataset, int batchSize) {
    TextEncoder encoder = EncoderSource.text(spark, kind, checkpoint(), Map.of("--test", LabeledData.open(spark, "--test", dataset.toString())),
        42, batchSize);
    Map<String, float[]> out = new TreeMap<>();
    for (Row r : TextFeatures.of(spark, PreparedDataset.open(dataset.toString(), spark).records(spark), encoder).collectAsList()) {
      out.put(r.getString(0), Features.floats(r, 3));
    }
    encoder.release();
    return out;
  }

  static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String id : expected.keySet()) {
      assertArrayEquals(expected.get(id), actual.get(id), 2e-4f, id);
    }
  }

  @Test
  void documentFeaturesAreTheMeanOverWindowsOfTheMeanPooledFinalLayer() {
    PreparedDataset ds = PreparedDataset.open(test.toString(), spark);
    assertTrue(ds.text().windowedDocuments() > 0, "the fixture must have documents of several windows");
    assertEquals(TEST, ds.text().documents());
    Map<String, float[]> expected = direct(checkpoint().loadModel(spark.sparkContext().hadoopConfiguration()), test);
    assertEquals(TEST, expected.size());
    // batch 7: batches mix lengths, so most windows are padded
    assertClose(expected, features(FeatureKind.TRAINED, test, 7));
  }

  @Test
  void randomFeaturesAreTheRunsArchitectureAtAFreshInitAndDifferFromTrained() {
    Map<String, float[]> random = features(FeatureKind.RANDOM, test, 64);
    assertClose(direct(MethodRebuild.randomInit(checkpoint().info(), 42), test), random);
    Map<String, float[]> trained = features(FeatureKind.TRAINED, test, 64);
    String id = trained.keySet().iterator().next();
    assertFalse(java.util.Arrays.equals(trained.get(id), random.get(id)));
  }

  @Test
  void evaluateScoresTextAndTheTfIdfBaselineSeparatesTheClasses() {
    EvaluationResult tfidf = Evaluate.run(spark, config(FeatureKind.TFIDF, Protocol.LINEAR, test));
    assertEquals("tfidf", tfidf.features());
    assertEquals(TRAIN, tfidf.train());
    assertEquals(TEST, tfidf.test());
    // three classes: chance is 1/3
    assertTrue(tfidf.results().get("linear") > 0.9, "tfidf " + tfidf.results());

    EvaluationResult trained = Evaluate.run(spark, config(FeatureKind.TRAINED, Protocol.BOTH, test));
    assertEquals(List.of("linear", "knn"), List.copyOf(trained.results().keySet()));
    assertEquals(16, trained.dimension());
    assertEquals(TEST, trained.test());
    assertEquals(TRAIN, trained.train());
    assertTrue(Evaluations.recordInRun(config(FeatureKind.TRAINED, Protocol.BOTH, test), trained,
        spark.sparkContext().hadoopConfiguration()).isPresent());
  }

  @Test
  void aDatasetWithAnotherVocabularyIsRefused() {
    DatasetException e = assertThrows(DatasetException.class, () -> Evaluate.run(spark, config(FeatureKind.TRAINED, Protocol.LINEAR, foreignVocab)));
    assertTrue(e.getMessage().contains("another vocabulary") && e.getMessage().contains("--vocab"), e.getMessage());
    DatasetException tfidf = assertThrows(DatasetException.class, () -> Evaluate.run(spark, config(FeatureKind.TFIDF, Protocol.LINEAR, foreignVocab)));
    assertTrue(tfidf.getMessage().contains("another vocabulary"), tfidf.getMessage());
  }

  @Test
  void featuresOfTheOtherModalityAreRefused() {
    DatasetException pixels = assertThrows(DatasetException.class, () -> Evaluate.run(spark, config(FeatureKind.PIXELS, Protocol.LINEAR, test)));
    assertTrue(pixels.getMessage().contains("--features tfidf"), pixels.getMessage());
    IllegalArgumentException knn = assertThrows(IllegalArgumentException.class, () -> config(FeatureKind.TFIDF, Protocol.BOTH, test));
    assertTrue(knn.getMessage().contains("--protocol linear"), knn.getMessage());

    int[] labels = EvalFixtures.balancedLabels(30);
    Path images = EvalFixtures.dataset(spark, tmp, "images", labels, labels, 3);
    DatasetException tfidfOnImages = assertThrows(DatasetException.class, () -> Evaluate.run(spark,
        EvaluateConfig.defaults(null, images.toString(), images.toString(), Protocol.LINEAR, FeatureKind.TFIDF)));
    assertTrue(tfidfOnImages.getMessage().contains("--features pixels"), tfidfOnImages.getMessage());
    DatasetException mixed = assertThrows(DatasetException.class, () -> Evaluate.run(spark,
        EvaluateConfig.defaults(run.toString(), train.toString(), images.toString(), Protocol.LINEAR, FeatureKind.TRAINED)));
    assertTrue(mixed.getMessage().contains("text") && mixed.getMessage().contains("image"), mixed.getMessage());
    Path imageRun = tmp.resolve("image-run");
    EvalFixtures.checkpoint(spark, imageRun, 42);
    DatasetException imageModel = assertThrows(DatasetException.class, () -> Evaluate.run(spark,
        EvaluateConfig.defaults(imageRun.toString(), train.toString(), test.toString(), Protocol.LINEAR, FeatureKind.TRAINED)));
    assertTrue(imageModel.getMessage().contains("image model"), imageModel.getMessage());
  }

  @Test
  void embedWritesOneRowPerDocument() {
    Path out = tmp.resolve("embedded");
    EmbedResult r = Embed.run(spark, new EmbedConfig(run.toString(), test.toString(), out.toString(), "parquet", false, 32));
    assertEquals(TEST, r.count());
    assertEquals(16, r.dimension());
    Map<String, float[]> written = new TreeMap<>();
    for (Row row : spark.read().parquet(out.toString()).collectAsList()) {
      written.put(row.getString(0), Features.floats(row, 3));
    }
    assertClose(direct(checkpoint().loadModel(spark.sparkContext().hadoopConfiguration()), test), written);
    DatasetException foreign = assertThrows(DatasetException.class, () -> Embed.run(spark,
        new EmbedConfig(run.toString(), foreignVocab.toString(), tmp.resolve("embedded-foreign").toString(), "parquet", false, 32)));
    assertTrue(foreign.getMessage().contains("another vocabulary"), foreign.getMessage());
  }

  @Test
  void theRecordedUnicodeFormIsRepeatedByFillMaskAndCheckedByEvaluate() {
    Path nfkcRun = tmp.resolve("run-nfkc");
    TextEvalFixtures.checkpoint(spark, nfkcRun, train, 1, "nfkc");
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FillMask nfc = FillMask.load(run.toString(), conf);
    FillMask nfkc = FillMask.load(nfkcRun.toString(), conf);
    String fullwidth = "[MASK] \uFF54\uFF48\uFF45"; // fullwidth "the": NFKC folds it to "the", NFC keeps it
    assertArrayEquals(nfc.encode("[MASK] the"), nfkc.encode(fullwidth), "an NFKC run's fill-mask folds as its data was");
    assertFalse(Arrays.equals(nfc.encode("[MASK] the"), nfc.encode(fullwidth)), "an NFC run's does not");
    DatasetException e = assertThrows(DatasetException.class,
        () -> EncoderSource.text(spark, FeatureKind.TRAINED, RunDirectory.resolve(nfkcRun.toString(), conf),
            Map.of("--test", LabeledData.open(spark, "--test", test.toString())), 42, 8));
    assertTrue(e.getMessage().contains("normalised nfc") && e.getMessage().contains("--normalize nfkc"), e.getMessage());
  }
}
