package io.pretext.jobs.pretrain;

import io.pretext.data.batches.BatchRecipe;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.text.masking.MaskingConfig;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.DatasetKind;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.method.SslMethod;
import io.pretext.model.method.maskedlm.MaskedLm;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;

/**
 * The per-epoch monitor of a run ({@code --monitor URI}), chosen by the kind of data the method trains on: kNN accuracy
 * on a labeled image holdout ({@link KnnMonitor}), or held-out masked-token accuracy and perplexity
 * ({@link MlmMonitor}). Either checks its dataset when created, before any training.
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
    return switch (method.dataKind()) {
      case IMAGE -> new KnnMonitor(spark, uri, method.representationVertex(), encoder.representationDim(), metrics, progress);
      case TEXT -> {
        BatchRecipe recipe = config.recipe();
        if (!(method instanceof MaskedLm mlm) || !(recipe instanceof MaskingConfig masking)) {
          throw new IllegalArgumentException("invalid value for --monitor: text runs are monitored by masked-token accuracy, which"
              + " method " + method.name() + " does not predict; held-out monitoring of text needs --method " + MaskedLm.NAME);
        }
        yield new MlmMonitor(spark, uri, training, mlm, masking, config.training().seed(), metrics, progress);
      }
    };
  }
}
