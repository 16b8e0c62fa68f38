package io.pretext.jobs.pretrain;

import io.pretext.jobs.train.MetricsLog;
import io.pretext.jobs.train.RoundListener;
import io.pretext.model.encoder.EncoderSpec;
import io.pretext.model.method.SslMethod;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;

/** The per-epoch monitor of a run ({@code --monitor URI}), chosen by the kind of data the method trains on. */
final class Monitors {
  private Monitors() {}

  static RoundListener create(SparkSession spark, String uri, SslMethod method, EncoderSpec encoder, MetricsLog metrics,
      PrintWriter progress) {
    return switch (method.dataKind()) {
      case IMAGE -> new KnnMonitor(spark, uri, method.representationVertex(), encoder.representationDim(), metrics, progress);
      case TEXT -> throw new IllegalArgumentException("invalid value for --monitor: text monitors are not available yet");
    };
  }
}
