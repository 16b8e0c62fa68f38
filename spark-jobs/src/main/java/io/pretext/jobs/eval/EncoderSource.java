package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.jobs.pretrain.MethodRebuild;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.InputShape;
import io.pretext.model.ModelInput;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Builds the {@link FeatureEncoder} {@code evaluate} and {@code embed} ask for. */
public final class EncoderSource {
  private EncoderSource() {}

  /**
   * The encoder for {@code kind}.
   *
   * @param model run or checkpoint directory ({@link RunDirectory#resolve}); ignored for pixels
   * @param shape {@code {C, H, W}} of the datasets, used by the pixel encoder and checked against the run's
   * @param seed weight-initialisation seed for {@link FeatureKind#RANDOM}
   * @throws DatasetException if the model takes images of another shape
   */
  public static FeatureEncoder resolve(SparkSession spark, FeatureKind kind, String model, int[] shape, long seed, int batchSize) {
    if (kind == FeatureKind.PIXELS) {
      return new PixelEncoder(shape[0], shape[1], shape[2]);
    }
    return of(spark, kind, RunDirectory.resolve(model, spark.sparkContext().hadoopConfiguration()), shape, seed, batchSize);
  }

  /**
   * The encoder for {@code kind} from a resolved checkpoint (null only for {@link FeatureKind#PIXELS}).
   *
   * @throws DatasetException if the checkpoint's network takes images of another shape
   */
  public static FeatureEncoder of(SparkSession spark, FeatureKind kind, Checkpoint checkpoint, int[] shape, long seed, int batchSize) {
    if (kind == FeatureKind.PIXELS) {
      return new PixelEncoder(shape[0], shape[1], shape[2]);
    }
    RunInfo info = checkpoint.info();
    ModelInput input = info.input().toModelInput();
    if (!(input instanceof InputShape s) || s.channels() != shape[0] || s.height() != shape[1] || s.width() != shape[2]) {
      throw new DatasetException("--model " + checkpoint.dir() + " takes " + info.input() + " input, but the datasets hold images of "
          + shape[0] + "x" + shape[1] + "x" + shape[2] + " (C x H x W); prepare them with the same --channels and --resize as"
          + " the training data");
    }
    ComputationGraph graph = kind == FeatureKind.TRAINED
        ? checkpoint.loadModel(spark.sparkContext().hadoopConfiguration())
        : MethodRebuild.randomInit(info, seed);
    return NetworkEncoder.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), kind.toString(), graph,
        info.representationVertex(), info.representationDim(), shape, batchSize);
  }
}
