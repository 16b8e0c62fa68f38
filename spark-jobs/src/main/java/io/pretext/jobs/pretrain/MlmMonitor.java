package io.pretext.jobs.pretrain;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.dataset.TextRecords;
import io.pretext.data.text.masking.DynamicMasking;
import io.pretext.data.text.masking.MaskingConfig;
import io.pretext.data.text.masking.TokenBatchBuilder;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.DatasetKind;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.method.MaskedTokenPredictor;
import io.pretext.model.method.MlmEvaluation;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import scala.Tuple2;

/**
 * Held-out masked-token accuracy and perplexity at the end of every epoch ({@code --monitor URI} of a masked-LM run):
 * the signal BERT-style pretraining is judged by, measured on text the run does not train on.
 *
 * <p>The held-out dataset must be a prepared text dataset tokenised like the training data: the same {@code vocab.txt}
 * (by its SHA-256 in both manifests), the same case setting, and windows no longer than the training data's
 * {@code --seq-len} (the model's position table). Anything else is refused when the monitor is created, before any
 * training.
 *
 * <p>What is scored: at most {@value #MAX_WINDOWS} windows, the ones with the smallest record keys
 * ({@link TextRecords#recordKey}: a pseudo-random sample that does not depend on shards or partitions), masked once
 * with the run's masking recipe for a fixed epoch ({@value #MASK_EPOCH}, which no training epoch uses) and the run's
 * seed. Every epoch therefore scores the same targets shown the same way, so the numbers are comparable across epochs
 * and across a resume. The cap keeps a monitor epoch to a few seconds on the driver: 2,048 WordNet glosses are about
 * 25,000 tokens and 4,000 targets, which bounds the standard error of an accuracy near 0.15 to about 0.006. The windows
 * are scored on the driver, in batches of {@value #BATCH_SIZE} windows of similar length, with
 * {@link MaskedTokenPredictor#evaluate} in inference mode (no dropout); parameters and optimiser state are not touched.
 *
 * <p>Each epoch appends {@code {"type":"mlm","epoch","roundsDone","accuracy","perplexity","crossEntropy","targets",
 * "windows","seconds"}} to {@code metrics.jsonl} (cross-entropy in nats per target; perplexity its exponential) and
 * prints one progress line.
 */
public final class MlmMonitor implements RoundListener {
  /** Most held-out windows scored per epoch. */
  public static final int MAX_WINDOWS = 2048;
  /** Windows per forward pass. */
  public static final int BATCH_SIZE = 64;
  /** The epoch the held-out masks are drawn for; training epochs count from 0, so its masks are never trained on. */
  public static final int MASK_EPOCH = -1;

  private final MaskedTokenPredictor method;
  private final List<TokenBatch> batches;
  private final int windows;
  private final MetricsLog metrics;
  private final PrintWriter progress;

  /**
   * Opens and checks the held-out dataset and masks its sample once.
   *
   * @param uri the held-out prepared text dataset ({@code --monitor})
   * @param training the dataset the run trains on, whose tokenisation the held-out one must share
   * @param masking the run's masking recipe
   * @param seed the run's seed
   * @throws DatasetException if the held-out dataset is missing, empty, not text, or tokenised differently
   */
  public MlmMonitor(SparkSession spark, String uri, PreparedDataset training, MaskedTokenPredictor method, MaskingConfig masking, long seed,
      MetricsLog metrics, PrintWriter progress) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    PreparedDataset holdout = open(uri, training, hadoop);
    this.method = method;
    this.metrics = metrics;
    this.progress = progress;
    DynamicMasking masks = DynamicMasking.of(masking, seed, training.vocabulary(hadoop));
    List<Tuple2<Long, int[]>> sample = sample(spark, holdout);
    this.windows = sample.size();
    this.batches = batches(sample, masks);
  }

  /**
   * The held-out dataset, checked against the training one.
   *
   * @throws DatasetException naming what differs and how to prepare a matching one
   */
  static PreparedDataset open(String uri, PreparedDataset training, Configuration hadoop) {
    PreparedDataset holdout = PreparedDataset.open(uri, hadoop);
    Path vocab = new Path(training.root(), training.text().vocabFile());
    String fix = "; prepare the held-out corpus with prepare-text --vocab " + vocab + (training.text().lowercase() ? " --lowercase" : "")
        + " --seq-len " + training.text().seqLen();
    if (holdout.kind() != DatasetKind.TEXT) {
      throw new DatasetException("--monitor " + uri + " holds " + holdout.kind() + " records, but a masked-LM run is monitored on"
          + " held-out text" + fix);
    }
    DatasetManifest.TextSection h = holdout.text();
    DatasetManifest.TextSection t = training.text();
    if (!h.vocabSha256().equals(t.vocabSha256())) {
      throw new DatasetException("--monitor " + uri + " was tokenised with another vocabulary (vocab.txt SHA-256 " + h.vocabSha256()
          + ", " + h.vocabSize() + " tokens) than --data " + training.root() + " (" + t.vocabSha256() + ", " + t.vocabSize()
          + " tokens): its token ids mean other words to the model" + fix);
    }
    if (h.lowercase() != t.lowercase()) {
      throw new DatasetException("--monitor " + uri + " is " + cased(h.lowercase()) + " but --data " + training.root() + " is "
          + cased(t.lowercase()) + ": the same vocabulary must be used with the same case setting" + fix);
    }
    if (h.seqLen() > t.seqLen()) {
      throw new DatasetException("--monitor " + uri + " holds windows of up to " + h.seqLen() + " tokens, but the model reads at most "
          + t.seqLen() + " (the --seq-len of --data " + training.root() + ")" + fix);
    }
    if (holdout.manifest().totalRecords() == 0) {
      throw new DatasetException("--monitor " + uri + " holds no records");
    }
    return holdout;
  }

  private static String cased(boolean lowercase) {
    return lowercase ? "uncased (--lowercase)" : "cased";
  }

  /** The {@link #MAX_WINDOWS} records with the smallest keys, as (key, tokens), by key. */
  private static List<Tuple2<Long, int[]>> sample(SparkSession spark, PreparedDataset holdout) {
    return holdout.records(spark).javaRDD()
        .map(row -> new Tuple2<>(TextRecords.recordKey(row), TextRecords.tokens(row)))
        .takeOrdered(MAX_WINDOWS, new ByKey());
  }

  /** Orders sample entries by record key (serializable: Spark ships it to the executors). */
  private static final class ByKey implements Comparator<Tuple2<Long, int[]>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<Long, int[]> a, Tuple2<Long, int[]> b) {
      return Long.compare(a._1(), b._1());
    }
  }

  /** The sample masked once, in batches of windows of similar length (less padding); masks do not depend on batching. */
  private static List<TokenBatch> batches(List<Tuple2<Long, int[]>> sample, DynamicMasking masks) {
    List<Tuple2<Long, int[]>> byLength = new ArrayList<>(sample);
    byLength.sort(Comparator.<Tuple2<Long, int[]>>comparingInt(s -> s._2().length).thenComparing(Tuple2::_1));
    List<TokenBatch> out = new ArrayList<>();
    TokenBatchBuilder builder = new TokenBatchBuilder();
    for (Tuple2<Long, int[]> s : byLength) {
      builder.add(s._2(), s._1());
      if (builder.size() == BATCH_SIZE) {
        out.add(builder.masked(masks, MASK_EPOCH));
        builder = new TokenBatchBuilder();
      }
    }
    if (builder.size() > 0) {
      out.add(builder.masked(masks, MASK_EPOCH));
    }
    return List.copyOf(out);
  }

  /** Windows scored per epoch. */
  public int windows() {
    return windows;
  }

  /** The held-out metrics of {@code network} now (summed over the fixed batches). */
  public MlmEvaluation evaluate(ComputationGraph network) {
    MlmEvaluation sum = MlmEvaluation.EMPTY;
    for (TokenBatch b : batches) {
      sum = sum.plus(method.evaluate(network, b));
    }
    return sum;
  }

  @Override
  public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
    long t0 = System.nanoTime();
    MlmEvaluation e = evaluate(network);
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress.printf(Locale.ROOT, "epoch %d: held-out masked-token accuracy %.4f, perplexity %.2f (%d targets in %d windows, %.1f s)%n",
        epoch + 1, e.accuracy(), e.perplexity(), e.targets(), windows, seconds);
    progress.flush();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "mlm");
    m.put("epoch", epoch);
    m.put("roundsDone", roundsDone);
    m.put("accuracy", e.accuracy());
    m.put("perplexity", e.perplexity());
    m.put("crossEntropy", e.meanCrossEntropy());
    m.put("targets", e.targets());
    m.put("windows", windows);
    m.put("seconds", seconds);
    metrics.append(m);
  }
}
