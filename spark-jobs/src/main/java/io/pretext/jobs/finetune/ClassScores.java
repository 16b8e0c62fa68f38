package io.pretext.jobs.finetune;

import io.pretext.jobs.eval.Features;
import io.pretext.jobs.eval.NetworkEncoder;
import io.pretext.jobs.eval.TextEncoder;
import io.pretext.jobs.eval.TextFeatures;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import io.pretext.model.TokenInput;
import io.pretext.model.method.Classifier;
import io.pretext.model.method.finetune.TextFineTune;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A fine-tuned network's class scores (logits, {@code [N, K]}) for a dataset's records, computed on the executors by the
 * evaluation's embedding code at the classifier's vertex (for text, per window, then the mean over each document's
 * windows), and what they give: top-1 accuracy, the softmax.
 */
public final class ClassScores {
  /** Images per forward pass. */
  static final int BATCH = 256;

  private ClassScores() {}

  /** A broadcast network that scores datasets; {@link #close} releases it. */
  public interface Scorer extends AutoCloseable {
    /**
     * {@link Features#SCHEMA} rows, one per image or document of {@code records}, whose {@code representation} column
     * holds the class scores; lazy.
     */
    Dataset<Row> of(Dataset<Row> records);

    @Override
    void close();
  }

  /**
   * Broadcasts {@code network}, built by {@code classifier} for {@code input}.
   *
   * @throws IllegalArgumentException if the classifier is neither an image nor a text method
   */
  public static Scorer broadcast(SparkSession spark, ComputationGraph network, Classifier classifier, ModelInput input) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (input instanceof InputShape shape) {
      NetworkEncoder encoder = NetworkEncoder.broadcast(sc, "trained", network, classifier.logitsVertex(), classifier.classes(),
          new int[] {shape.channels(), shape.height(), shape.width()}, BATCH);
      return new Scorer() {
        @Override
        public Dataset<Row> of(Dataset<Row> records) {
          return Features.of(spark, records, encoder);
        }

        @Override
        public void close() {
          encoder.release();
        }
      };
    }
    if (classifier instanceof TextFineTune text && input instanceof TokenInput tokens) {
      TextEncoder encoder = TextEncoder.broadcast(sc, "trained", network, text::scores, classifier.classes(), tokens.maxLength(), BATCH);
      return new Scorer() {
        @Override
        public Dataset<Row> of(Dataset<Row> records) {
          return TextFeatures.of(spark, records, encoder);
        }

        @Override
        public void close() {
          encoder.release();
        }
      };
    }
    throw new IllegalArgumentException(classifier + " cannot score " + input);
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
