package io.pretext.jobs.finetune;

import io.pretext.data.dataset.ImageRecords;
import io.pretext.jobs.eval.Features;
import io.pretext.jobs.eval.NetworkEncoder;
import io.pretext.model.method.Classifier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A fine-tuned network's class scores (logits, {@code [N, K]}) for a dataset's images, computed on the executors by the
 * evaluation's embedding code at the classifier's vertex, and what they give: top-1 accuracy, the softmax.
 */
public final class ClassScores {
  /** Images per forward pass. */
  static final int BATCH = 256;

  private ClassScores() {}

  /**
   * The scores of every record of {@code records} ({@link ImageRecords#SCHEMA}): {@link Features#SCHEMA} rows whose
   * {@code representation} column holds the logits. The broadcast network is released by the caller's {@code release}.
   */
  public static NetworkEncoder broadcast(SparkSession spark, ComputationGraph network, Classifier classifier, int[] shape) {
    return NetworkEncoder.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), "trained", network, classifier.logitsVertex(),
        classifier.classes(), shape, BATCH);
  }

  /** Top-1 accuracy of the scores against the records' labels. */
  public static double accuracy(Dataset<Row> scores) {
    long[] counts = scores.javaRDD().map(r -> argmax(Features.floats(r, 3)) == r.getInt(2) ? 1L : 0L)
        .aggregate(new long[2], (a, hit) -> new long[] {a[0] + hit, a[1] + 1}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    return counts[1] == 0 ? Double.NaN : (double) counts[0] / counts[1];
  }

  /** Index of the largest score (the first on ties). */
  public static int argmax(float[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Softmax of the scores, computed stably (the largest subtracted first). */
  public static double[] softmax(float[] scores) {
    double max = Double.NEGATIVE_INFINITY;
    for (float s : scores) {
      max = Math.max(max, s);
    }
    double[] p = new double[scores.length];
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(scores[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }
}
