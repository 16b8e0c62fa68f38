package io.pretext.jobs.eval;

import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.text.DocSplit;
import io.pretext.data.text.PrepareTextConfig;
import io.pretext.data.text.PrepareTextJob;
import io.pretext.data.text.TextFormat;
import io.pretext.data.text.UnicodeForm;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.InputInfo;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.GraphSettings;
import io.pretext.model.TokenInput;
import io.pretext.model.encoder.Bert;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.method.maskedlm.MaskedLm;
import io.pretext.model.method.maskedlm.MlmConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Small labeled text datasets made by the real prepare-text job from generated JSON Lines, and an {@code mlm} checkpoint
 * written the way pretrain writes it (vocab.txt included).
 *
 * <p>Documents are 4-12 words, every fifth one 40 (several windows at {@value #SEQ_LEN} tokens). Each word is, with
 * probability 1/2, drawn from its class's own six words (class 0 animals, 1 colours, 2 verbs of motion), else from
 * fillers shared by every class: the classes are easy to separate from the words alone.
 */
public final class TextEvalFixtures {
  static final int SEQ_LEN = 16;
  static final int CLASSES = 3;
  static final String ENCODER = "bert:layers=1,hidden=16,heads=2,ff=32";
  static final String[][] WORDS = {
      {"cat", "dog", "horse", "cow", "sheep", "goat"},
      {"red", "blue", "green", "yellow", "purple", "orange"},
      {"run", "jump", "swim", "walk", "climb", "throw"},
  };
  static final String[] FILLERS = {"the", "a", "of", "and", "with", "very", "some", "this"};

  private TextEvalFixtures() {}

  /** A JSON Lines corpus of {@code n} labeled documents (label {@code class-k}), document i of class i mod 3. */
  public static Path corpus(Path dir, String name, int n, long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int label = i % CLASSES;
      int words = i % 5 == 4 ? 40 : 4 + r.nextInt(9);
      StringBuilder text = new StringBuilder("doc" + i);
      for (int w = 0; w < words; w++) {
        text.append(' ').append(r.nextBoolean() ? WORDS[label][r.nextInt(6)] : FILLERS[r.nextInt(FILLERS.length)]);
      }
      b.append("{\"text\": \"").append(text).append("\", \"label\": \"class-").append(label).append("\"}\n");
    }
    try {
      Path file = Files.createDirectories(dir).resolve(name + ".jsonl");
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Prepares {@code corpus} lower-cased at {@value #SEQ_LEN} tokens per window, with {@code vocab} or, when null, a
   * trained vocabulary of 120 tokens.
   */
  public static Path prepare(SparkSession spark, Path corpus, Path out, String vocab) {
    PrepareTextJob.run(spark, new PrepareTextConfig(corpus.toString(), out.toString(), TextFormat.AUTO, null, DocSplit.LINE, null, "label",
        null, null, UnicodeForm.NFC, true, 10_000, SEQ_LEN, false, vocab, vocab == null ? 120 : 0, 2, 1000, 3, 7, false));
    return out;
  }

  /** The vocab.txt of a prepared dataset. */
  public static String vocabFile(Path dataset) {
    return dataset.resolve("vocab.txt").toString();
  }

  static TokenInput input(PreparedDataset dataset) {
    return new TokenInput(dataset.text().vocabSize(), dataset.text().seqLen());
  }

  /** An (untrained) {@code mlm} network on {@link #ENCODER} for {@code dataset}, initialised with {@code seed}. */
  static ComputationGraph network(PreparedDataset dataset, long seed) {
    return new MaskedLm(MlmConfig.defaults()).build(Bert.parse(ENCODER), input(dataset), GraphSettings.of(seed, OptimizerConfig.adam(1e-3, 0, 1)));
  }

  /** Saves {@link #network} as a complete checkpoint of a text run at {@code runDir}, with the dataset's vocab.txt. */
  public static Checkpoint checkpoint(SparkSession spark, Path runDir, Path datasetDir, long seed) {
    return checkpoint(spark, runDir, datasetDir, seed, null);
  }

  /** As {@link #checkpoint(SparkSession, Path, Path, long)}, recording {@code normalization} (null: the dataset's). */
  static Checkpoint checkpoint(SparkSession spark, Path runDir, Path datasetDir, long seed, String normalization) {
    PreparedDataset dataset = PreparedDataset.open(datasetDir.toString(), spark);
    SortedMap<String, SortedMap<String, String>> options = new TreeMap<>();
    options.put("method", new TreeMap<>());
    options.put("training", new TreeMap<>(Map.of("--method", MaskedLm.NAME, "--encoder", ENCODER, "--seed", "" + seed)));
    RunInfo info = new RunInfo(RunInfo.FORMAT_VERSION, MaskedLm.NAME, ENCODER, EncoderSpec.REPRESENTATION, 16,
        InputInfo.text(input(dataset), true,
            normalization != null ? normalization : dataset.text().normalization()), options, datasetDir.toString(), "0".repeat(64),
        new TreeMap<>(Map.of("java", System.getProperty("java.version"))), "test", seed, 1, 0, 1, 1, 1, 0.0, true);
    byte[] vocab = dataset.vocabulary(spark.sparkContext().hadoopConfiguration()).toBytes();
    return new RunDirectory(runDir.toString(), spark.sparkContext().hadoopConfiguration())
        .save(network(dataset, seed), info, new byte[0], Map.of(Checkpoint.VOCAB_FILE, vocab), 1);
  }
}
