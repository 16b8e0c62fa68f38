package io.pretext.jobs.finetune;

import io.pretext.jobs.eval.Features;
import io.pretext.jobs.eval.LabeledData;
import io.pretext.jobs.eval.NetworkEncoder;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.method.Classifier;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * After every epoch of a fine-tuning: the classifier's top-1 accuracy on the validation split and on the test set,
 * printed and appended to {@code metrics.jsonl} ({@code {"type":"finetune", "epoch":.., "validation":.., "test":..}}).
 * The stopping rule reads the validation accuracy only ({@link #selected}); the test accuracy is reported, never
 * chosen on.
 */
public final class ClassifierMonitor implements RoundListener {
  /** One epoch's accuracies. */
  public record EpochScore(int epoch, long roundsDone, double validation, double test) {}

  private final SparkSession spark;
  private final Classifier classifier;
  private final LabeledData validation;
  private final LabeledData test;
  private final MetricsLog metrics;
  private final PrintWriter progress;
  private final List<EpochScore> scores = new ArrayList<>();

  /** @param validation the validation split, or null when there is none */
  public ClassifierMonitor(SparkSession spark, Classifier classifier, LabeledData validation, LabeledData test, MetricsLog metrics,
      PrintWriter progress) {
    this.spark = spark;
    this.classifier = classifier;
    this.validation = validation;
    this.test = test;
    this.metrics = metrics;
    this.progress = progress;
  }

  @Override
  public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
    long t0 = System.nanoTime();
    NetworkEncoder scorer = ClassScores.broadcast(spark, network, classifier, test.shape());
    try {
      double v = validation == null ? Double.NaN : ClassScores.accuracy(Features.of(spark, validation.records(spark), scorer));
      double t = ClassScores.accuracy(Features.of(spark, test.records(spark), scorer));
      double seconds = (System.nanoTime() - t0) / 1e9;
      scores.add(new EpochScore(epoch, roundsDone, v, t));
      progress.printf(Locale.ROOT, "epoch %d: top-1 validation %.4f, test %.4f (%.1f s)%n", epoch + 1, v, t, seconds);
      progress.flush();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "finetune");
      m.put("epoch", epoch);
      m.put("roundsDone", roundsDone);
      m.put("validation", v);
      m.put("test", t);
      m.put("seconds", seconds);
      metrics.append(m);
    } finally {
      scorer.release();
    }
  }

  /** Every epoch scored by this process, in order (a resumed run scores the epochs it trains). */
  public List<EpochScore> scores() {
    return List.copyOf(scores);
  }

  /**
   * The stopping rule: the epoch of the highest validation accuracy (the later one on ties, which has trained more),
   * or the last epoch when there is no validation split.
   */
  public static EpochScore selected(List<EpochScore> scores) {
    EpochScore best = null;
    for (EpochScore s : scores) {
      if (best == null || Double.isNaN(s.validation()) || s.validation() >= best.validation()) {
        best = s;
      }
    }
    return best;
  }
}
