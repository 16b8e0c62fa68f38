package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunInfo;
import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.head.ProjectionHead;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.util.List;
import java.util.Map;
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
   * @param seed weight-initialisation seed for {@link EncoderKind#RANDOM}
   * @throws DatasetException if the model cannot be found or takes images of another shape
   */
  public static FeatureEncoder resolve(SparkSession spark, EncoderKind kind, String model, int[] shape, long seed, int batchSize) {
    if (kind == EncoderKind.PIXELS) {
      return new PixelEncoder(shape[0], shape[1], shape[2]);
    }
    Checkpoint checkpoint = RunDirectory.resolve(model, spark.sparkContext().hadoopConfiguration());
    RunInfo info = checkpoint.info();
    if (info.channels() != shape[0] || info.height() != shape[1] || info.width() != shape[2]) {
      throw new DatasetException("--model " + model + " takes " + info.channels() + "x" + info.height() + "x" + info.width()
          + " images (C x H x W), but the datasets hold " + shape[0] + "x" + shape[1] + "x" + shape[2]
          + "; prepare them with the same --channels and --resize as the training data");
    }
    ComputationGraph graph = kind == EncoderKind.TRAINED
        ? checkpoint.loadModel(spark.sparkContext().hadoopConfiguration())
        : randomInit(info, seed);
    return NetworkEncoder.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), kind.toString(), graph,
        info.representationVertex(), info.representationDim(), shape, batchSize);
  }

  /**
   * A freshly initialised network of the run's architecture (method, encoder, projection head and
   * input shape from {@code run.json}), seeded with {@code seed}: the random-init baseline.
   */
  static ComputationGraph randomInit(RunInfo info, long seed) {
    if (!SimClr.NAME.equals(info.method())) {
      throw new DatasetException("--encoder random does not know method '" + info.method() + "' of the run (known: simclr)");
    }
    Map<String, Object> c = info.config();
    SimClrConfig defaults = SimClrConfig.defaults();
    double temperature = c.get("temperature") instanceof Number n ? n.doubleValue() : defaults.temperature();
    List<Integer> hidden = c.get("projectionHidden") instanceof List<?> l
        ? l.stream().map(v -> ((Number) v).intValue()).toList() : defaults.head().hiddenDims();
    int projectionDim = c.get("projectionDim") instanceof Number n ? n.intValue() : defaults.head().outDim();
    SimClr method = new SimClr(new SimClrConfig(temperature, new ProjectionHead(hidden, projectionDim, false)));
    // The optimiser is irrelevant for a frozen encoder, but the graph builder needs one.
    return method.build(Encoders.byName(info.encoder()), new InputShape(info.channels(), info.height(), info.width()),
        GraphSettings.of(seed, OptimizerConfig.adam(1e-3, 0, 1)));
  }
}
