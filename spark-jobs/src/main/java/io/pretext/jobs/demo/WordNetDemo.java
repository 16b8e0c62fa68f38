package io.pretext.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.text.DocSplit;
import io.pretext.data.text.PrepareTextConfig;
import io.pretext.data.text.PrepareTextJob;
import io.pretext.data.text.TextFormat;
import io.pretext.data.text.UnicodeForm;
import io.pretext.data.text.tokenizer.WordPieceTrainer;
import io.pretext.jobs.eval.Evaluate;
import io.pretext.jobs.eval.EvaluateConfig;
import io.pretext.jobs.eval.EvaluationResult;
import io.pretext.jobs.eval.Evaluations;
import io.pretext.jobs.eval.FeatureKind;
import io.pretext.jobs.eval.Protocol;
import io.pretext.jobs.pretrain.PretrainConfig;
import io.pretext.jobs.pretrain.PretrainJob;
import io.pretext.jobs.pretrain.ResumeMode;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The text demo ({@code pretext demo --text}): WordNet's glosses ({@link WordNetGlosses}, split 80/20 by synset, labeled
 * by lexicographer file), a WordPiece vocabulary trained on the training glosses, BERT masked-LM pretraining on them
 * (labels unused), and a lexname linear probe on the held-out glosses: the pretrained encoder against the same
 * architecture at random init and the TF-IDF bag-of-words baseline. Settings: {@link TextDemoConfig}.
 *
 * <p>The result carries the held-out monitor's last reading (masked-token accuracy and perplexity on the test glosses,
 * from the run's {@code metrics.jsonl}) beside the probes.
 *
 * <p>Prepared datasets are reused when complete (prepare-text is deterministic), as the image demo does; the run
 * directory is replaced unless the pretraining configuration says to resume. Evaluations are recorded in the run.
 */
public final class WordNetDemo {
  private WordNetDemo() {}

  /**
   * What the demo measured.
   *
   * @param results linear-probe accuracy by features ({@code tfidf}, {@code random}, {@code mlm})
   * @param heldOut the run's held-out monitor after its last epoch, or null when it had none
   * @param prepareSeconds glosses and both prepare-text jobs (0 when reused)
   */
  public record Result(Map<String, Map<String, Double>> results, PretrainJob.Result pretrain, HeldOut heldOut, double prepareSeconds,
      double seconds) {}

  /**
   * The held-out masked-token accuracy and perplexity the run's monitor ({@code MlmMonitor}) measured after its last
   * epoch: the last {@code "type":"mlm"} line of the run's {@code metrics.jsonl}.
   *
   * @param epoch the epoch it was measured after, 1-based (as the progress lines print it; {@code metrics.jsonl} holds
   *     it 0-based)
   * @param roundsDone rounds trained when it was measured
   * @param accuracy share of masked targets predicted exactly
   * @param perplexity exp of the mean cross-entropy per target
   * @param targets masked targets scored
   */
  public record HeldOut(int epoch, long roundsDone, double accuracy, double perplexity, long targets) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** From the lines of a run's {@code metrics.jsonl}; null when none is an {@code mlm} line (no monitor). */
    public static HeldOut last(List<String> metrics) {
      HeldOut last = null;
      for (String line : metrics) {
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException notJson) {
          continue;
        }
        if (n != null && n.path("type").asText("").equals("mlm")) {
          last = new HeldOut(n.path("epoch").asInt() + 1, n.path("roundsDone").asLong(), n.path("accuracy").asDouble(Double.NaN),
              n.path("perplexity").asDouble(Double.NaN), n.path("targets").asLong());
        }
      }
      return last;
    }

    /** The fields of the demo's JSON line. */
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", epoch);
      m.put("roundsDone", roundsDone);
      m.put("accuracy", accuracy);
      m.put("perplexity", perplexity);
      m.put("targets", targets);
      return m;
    }
  }

  /** Glosses and both prepared datasets, before the pretraining configuration is made. */
  public static double prepare(SparkSession spark, TextDemoConfig demo, PrintWriter progress) {
    long start = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String trainJsonl = demo.glosses() + "/train.jsonl";
    String testJsonl = demo.glosses() + "/test.jsonl";
    boolean reuse = complete(spark, demo.train()) && complete(spark, demo.test());
    if (reuse) {
      progress.println("demo: reusing " + demo.train() + " and " + demo.test() + " (complete)");
      progress.flush();
      return 0;
    }
    if (!HadoopFiles.exists(new Path(demo.wordnet(), "data.noun"), conf)) {
      throw new DatasetException("WordNet not found: " + demo.wordnet() + "/data.noun is missing (apt-get install wordnet-base, or --wordnet DIR)");
    }
    WordNetGlosses.Result glosses = WordNetGlosses.convert(demo.wordnet(), demo.glosses(), conf);
    progress.printf(Locale.ROOT, "demo: %d glosses: %d train, %d test (%.1f s)%n", glosses.glosses(), glosses.train(), glosses.test(),
        glosses.millis() / 1e3);
    long t = System.nanoTime();
    PrepareTextJob.run(spark, prepareConfig(demo, trainJsonl, demo.train(), null));
    progress.printf(Locale.ROOT, "demo: prepared %s with a %d-token WordPiece vocabulary (%.1f s)%n", demo.train(), demo.vocabSize(),
        (System.nanoTime() - t) / 1e9);
    t = System.nanoTime();
    PrepareTextJob.run(spark, prepareConfig(demo, testJsonl, demo.test(), demo.train() + "/vocab.txt"));
    progress.printf(Locale.ROOT, "demo: prepared %s with the training vocabulary (%.1f s)%n", demo.test(), (System.nanoTime() - t) / 1e9);
    progress.flush();
    return (System.nanoTime() - start) / 1e9;
  }

  /** prepare-text of a glosses file: labeled by lexname, lower-cased, {@code seqLen} tokens; trains a vocabulary unless given. */
  static PrepareTextConfig prepareConfig(TextDemoConfig demo, String input, String output, String vocab) {
    return new PrepareTextConfig(input, output, TextFormat.JSONL, null, DocSplit.LINE, "text", "label", null, null, UnicodeForm.NFC,
        demo.lowercase(), PrepareTextConfig.DEFAULT_MAX_DOC_BYTES, demo.seqLen(), false, vocab, vocab == null ? demo.vocabSize() : 0,
        WordPieceTrainer.DEFAULT_MIN_FREQUENCY, WordPieceTrainer.DEFAULT_LIMIT_ALPHABET, 16, 42, true);
  }

  private static boolean complete(SparkSession spark, String dataset) {
    try {
      PreparedDataset.open(dataset, spark);
      return true;
    } catch (DatasetException unusable) {
      return false;
    }
  }

  /**
   * Pretrains with {@code config} (on {@link TextDemoConfig#train()} into {@link TextDemoConfig#run()}) and evaluates.
   *
   * @param prepareSeconds what {@link #prepare} took, for the result
   */
  public static Result run(SparkSession spark, TextDemoConfig demo, PretrainConfig config, double prepareSeconds, PrintWriter progress) {
    long start = System.nanoTime();
    String run = config.run().run();
    Path runPath = new Path(run);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    if (config.run().resume() == ResumeMode.NEVER && HadoopFiles.exists(runPath, conf)) {
      try {
        HadoopFiles.fs(runPath, conf).delete(runPath, true);
      } catch (IOException e) {
        throw new RunException("cannot clear the demo run directory " + run + ": " + e.getMessage(), e);
      }
    }
    progress.println("demo: pretraining " + config.method().name() + " / " + config.training().encoder() + " for "
        + config.training().epochs() + " epochs");
    PretrainJob.Result trained = PretrainJob.run(spark, config, progress, List.of());

    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    results.put(FeatureKind.TFIDF.toString(), evaluate(spark, run, demo, FeatureKind.TFIDF, config.training().seed(), progress));
    results.put(FeatureKind.RANDOM.toString(), evaluate(spark, run, demo, FeatureKind.RANDOM, config.training().seed(), progress));
    results.put(config.method().name(), evaluate(spark, run, demo, FeatureKind.TRAINED, config.training().seed(), progress));
    HeldOut heldOut = HeldOut.last(new RunDirectory(run, conf).readMetrics());
    return new Result(results, trained, heldOut, prepareSeconds, prepareSeconds + (System.nanoTime() - start) / 1e9);
  }

  private static Map<String, Double> evaluate(SparkSession spark, String run, TextDemoConfig demo, FeatureKind kind, long seed,
      PrintWriter progress) {
    EvaluateConfig d = EvaluateConfig.defaults(run, demo.train(), demo.test(), Protocol.LINEAR, kind);
    EvaluateConfig c = new EvaluateConfig(run, demo.train(), demo.test(), Protocol.LINEAR, kind, d.k(), d.knnTemperature(), demo.maxIter(),
        d.reg(), d.batchSize(), seed);
    EvaluationResult r = Evaluate.run(spark, c, line -> {
      progress.println(line);
      progress.flush();
    });
    Evaluations.recordInRun(c, r, spark.sparkContext().hadoopConfiguration());
    return r.results();
  }

  /** The table printed at the end, and the held-out monitor's last reading when there is one. */
  public static String table(Map<String, Map<String, Double>> results, String encoder, HeldOut heldOut) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-32s %12s%n", "WordNet lexname (45 classes)", "linear probe"));
    for (Map.Entry<String, Map<String, Double>> e : results.entrySet()) {
      String name = switch (e.getKey()) {
        case "tfidf" -> "TF-IDF bag of words";
        case "random" -> "random-init " + encoder;
        default -> e.getKey() + " " + encoder;
      };
      Double v = e.getValue().get("linear");
      sb.append(String.format(Locale.ROOT, "%-32s %12s%n", name, v == null ? "-" : String.format(Locale.ROOT, "%.4f", v)));
    }
    if (heldOut != null) {
      sb.append(String.format(Locale.ROOT, "held-out masked-token accuracy %.4f, perplexity %.2f (after epoch %d)%n", heldOut.accuracy(),
          heldOut.perplexity(), heldOut.epoch()));
    }
    return sb.toString();
  }
}
