package io.pretext.jobs.pretrain;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.text.masking.MaskingConfig;
import io.pretext.jobs.generative.ReconstructionMonitor;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.DatasetKind;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.method.MaskedTokenPredictor;
import io.pretext.model.method.Reconstructor;
import io.pretext.model.method.SslMethod;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The per-epoch monitor of a run ({@code --monitor URI}), the one the method declares ({@link SslMethod#onlineMonitor()}):
 * kNN accuracy on a labeled image holdout ({@link KnnMonitor}), held-out masked-token accuracy and perplexity of a
 * {@link MaskedTokenPredictor} ({@link MlmMonitor}), or held-out reconstruction of a {@link Reconstructor}
 * ({@link ReconstructionMonitor}, with kNN accuracy when the holdout has labels). Either checks its dataset when created, before any training.
 */
final class Monitors {
  private Monitors() {}

  static RoundListener create(SparkSession spark, PretrainConfig config, PreparedDataset training, EncoderSpec encoder,
      MetricsLog metrics, PrintWriter progress) {
    SslMethod method = config.method();
    String uri = config.run().monitor();
    PreparedDataset holdout = PreparedDataset.open(uri, spark.sparkContext().hadoopConfiguration());
    if (holdout.kind() != method.dataKind()) {
      throw new DatasetException("--monitor " + uri + " holds " + holdout.kind() + " records, but method " + method.name()
          + " trains on " + method.dataKind() + " data: monitor it with a held-out " + method.dataKind() + " dataset"
          + (method.dataKind() == DatasetKind.IMAGE ? " that has labels" : " tokenised with the training data's vocabulary"));
    }
    return switch (method.onlineMonitor()) {
      case KNN -> new KnnMonitor(spark, uri, method.representationVertex(), encoder.representationDim(), metrics, progress);
      case MASKED_TOKENS -> {
        if (!(method instanceof MaskedTokenPredictor predictor) || !(config.recipe() instanceof MaskingConfig masking)) {
          throw new IllegalStateException("method " + method.name() + " declares the masked-token monitor but does not predict"
              + " masked tokens or has no masking recipe");
        }
        yield new MlmMonitor(spark, uri, training, predictor, masking, config.training().seed(), metrics, progress);
      }
      case RECONSTRUCTION -> {
        if (!(method instanceof Reconstructor reconstructor)) {
          throw new IllegalStateException("method " + method.name() + " declares the reconstruction monitor but does not reconstruct");
        }
        RoundListener reconstruction = new ReconstructionMonitor(spark, uri, training, reconstructor, config.training().seed(), metrics,
            progress);
        if (!holdout.manifest().labelled()) {
          yield reconstruction;
        }
        RoundListener knn = new KnnMonitor(spark, uri, method.representationVertex(), encoder.representationDim(), metrics, progress);
        yield new RoundListener() {
          @Override
          public void onEpochEnd(int epoch, long roundsDone, ComputationGraph network) {
            reconstruction.onEpochEnd(epoch, roundsDone, network);
            knn.onEpochEnd(epoch, roundsDone, network);
          }
        };
      }
      case NONE -> throw new IllegalArgumentException("invalid value for --monitor: method " + method.name() + " has no held-out"
          + " monitor; train without --monitor");
    };
  }
}
