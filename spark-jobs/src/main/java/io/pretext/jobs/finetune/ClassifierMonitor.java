package io.pretext.jobs.finetune;

import io.pretext.jobs.eval.LabeledData;
import io.pretext.model.ModelInput;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.method.Classifier;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * After every {@code every}-th epoch of a fine-tuning and after the last: the classifier's top-1 accuracy on the
 * validation split and on the test set, printed and appended to {@code metrics.jsonl} ({@code {"type":"finetune", "epoch":.., "validation":.., "test":..}}).
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
  private final ModelInput input;
  private final int every;
  private final int epochs;

  /**
   * @param input what one record is to the network
   * @param validation the validation split, or null when there is none
   * @param every score every this many epochs, &gt;= 1
   * @param epochs the run's epochs (the last is always scored)
   */
  public ClassifierMonitor(SparkSession spark, Classifier classifier, ModelInput input, LabeledData validation, LabeledData test, MetricsLog metrics,
      PrintWriter progress, int every, int epochs) {
    this.input = input;
    this.every = every;
    this.epochs = epochs;
    this.spark = spark;
    this.classifier = classifier;
    this.validation = validation;
    this.test = test;
    this.metrics = metrics;
    this.progress = progress;
  }

  @Override
  public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
    if ((epoch + 1) % every != 0 && epoch + 1 != epochs) {
      return;
    }
    long t0 = System.nanoTime();
    try (ClassScores.Scorer scorer = ClassScores.broadcast(spark, network, classifier, input)) {
      double v = validation == null ? Double.NaN : ClassScores.accuracy(scorer.of(validation.records(spark)));
      double t = ClassScores.accuracy(scorer.of(test.records(spark)));
      double seconds = (System.nanoTime() - t0) / 1e9;
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
    }
  }

  /** Every {@code ceil(epochs / 20)}-th epoch: at most about 20 evaluations, however many epochs a small subset trains. */
  public static int defaultEvery(int epochs) {
    return Math.max(1, (epochs + 19) / 20);
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
