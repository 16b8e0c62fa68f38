package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.jobs.run.Checkpoint;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.model.DatasetKind;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code pretext embed}: the representation of every image, or of every text document (the mean of its windows',
 * {@link TextFeatures}), of a prepared dataset under a trained encoder, written as Parquet (or JSON lines) with
 * {@link Features#SCHEMA} ({@code id}, {@code source}, {@code label}, {@code representation array<float>}). A text
 * dataset must have been tokenised with the model's vocabulary ({@link EncoderSource#text}). An existing output is
 * refused unless {@code overwrite}.
 */
public final class Embed {
  private Embed() {}

  public static EmbedResult run(SparkSession spark, EmbedConfig config) {
    long start = System.nanoTime();
    Path out = new Path(config.output());
    HadoopFiles.requireApart("--output", config.output(), "--input", config.input(), spark.sparkContext().hadoopConfiguration());
    HadoopFiles.requireApart("--output", config.output(), "--model", config.model(), spark.sparkContext().hadoopConfiguration());
    if (!config.overwrite() && HadoopFiles.exists(out, spark.sparkContext().hadoopConfiguration())) {
      throw new DatasetException("--output " + config.output() + " already exists; pass --overwrite to replace it");
    }
    PreparedDataset dataset = PreparedDataset.open(config.input(), spark);
    Dataset<Row> features;
    int dimension;
    Runnable release;
    if (dataset.kind() == DatasetKind.TEXT) {
      Checkpoint checkpoint = RunDirectory.resolve(config.model(), spark.sparkContext().hadoopConfiguration());
      LabeledData input = new LabeledData(config.input(), dataset, null, dataset.text().documents());
      TextEncoder encoder = EncoderSource.text(spark, FeatureKind.TRAINED, checkpoint, Map.of("--input", input), 0, config.batchSize());
      features = TextFeatures.of(spark, dataset.records(spark), encoder);
      dimension = encoder.dimension();
      release = encoder::release;
    } else {
      DatasetManifest.ImageGeometry g = dataset.manifest().image();
      if (g == null) {
        throw new DatasetException("--input " + config.input() + " has images of different sizes; re-run prepare-images with --resize N");
      }
      FeatureEncoder encoder = EncoderSource.resolve(spark, FeatureKind.TRAINED, config.model(),
          new int[] {g.channels(), g.height(), g.width()}, 0, config.batchSize());
      features = Features.of(spark, dataset.records(spark), encoder);
      dimension = encoder.dimension();
      release = encoder instanceof NetworkEncoder n ? n::release : () -> { };
    }
    features.write().mode(config.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists).format(config.format()).save(config.output());
    release.run();
    long count = spark.read().format(config.format()).schema(Features.SCHEMA).load(config.output()).count();
    return new EmbedResult(config.output(), count, dimension, Evaluate.secondsSince(start));
  }
}
