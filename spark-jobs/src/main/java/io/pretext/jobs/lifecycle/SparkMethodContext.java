package io.pretext.jobs.lifecycle;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.jobs.eval.Features;
import io.pretext.jobs.eval.NetworkEncoder;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.train.MetricsLog;
import io.pretext.model.DatasetKind;
import io.pretext.model.lifecycle.Assignment;
import io.pretext.model.lifecycle.Clustering;
import io.pretext.model.lifecycle.MethodContext;
import io.pretext.model.lifecycle.RecordTable;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.Vectors;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The {@link MethodContext} of a pretraining run on Spark. Embedding reuses the evaluation's code: the driver network
 * reduced to its encoder and broadcast ({@link NetworkEncoder}), every record encoded in the executors in chunks
 * ({@link Features}), unaugmented and in inference mode. Per-record tables are Parquet under the run directory's
 * {@code state/} ({@link RunDirectory#stateTable}); metrics lines go to the run's {@code metrics.jsonl}.
 */
public final class SparkMethodContext implements MethodContext {
  /** Images per forward pass when embedding. */
  static final int EMBED_BATCH = 256;

  private final SparkSession spark;
  private final PreparedDataset dataset;
  private final PreparedDataset monitor;
  private final RunDirectory run;
  private final ComputationGraph network;
  private final RunPlan plan;
  private final MetricsLog metrics;
  private final PrintWriter progress;
  private final int epoch;
  private final long roundsDone;

  /**
   * @param monitor the {@code --monitor} dataset, or null
   * @param network the driver's network
   */
  public SparkMethodContext(SparkSession spark, PreparedDataset dataset, PreparedDataset monitor, RunDirectory run,
      ComputationGraph network, RunPlan plan, MetricsLog metrics, PrintWriter progress, int epoch, long roundsDone) {
    this.spark = spark;
    this.dataset = dataset;
    this.monitor = monitor;
    this.run = run;
    this.network = network;
    this.plan = plan;
    this.metrics = metrics;
    this.progress = progress;
    this.epoch = epoch;
    this.roundsDone = roundsDone;
  }

  @Override
  public int epoch() {
    return epoch;
  }

  @Override
  public RunPlan plan() {
    return plan;
  }

  @Override
  public ComputationGraph network() {
    return network;
  }

  @Override
  public Vectors embed(String vertex) {
    return embed(dataset, "--data", vertex);
  }

  @Override
  public Optional<Vectors> embedMonitor(String vertex) {
    return monitor == null || monitor.kind() != dataset.kind() ? Optional.empty() : Optional.of(embed(monitor, "--monitor", vertex));
  }

  private Vectors embed(PreparedDataset d, String option, String vertex) {
    if (d.kind() != DatasetKind.IMAGE) {
      throw new IllegalArgumentException(option + " " + d.root() + ": embedding every record is implemented for image datasets, not "
          + d.kind());
    }
    Dataset<Row> records = d.records(spark);
    if (!java.util.Arrays.asList(records.columns()).contains(ImageRecords.ID)) {
      throw new DatasetException(option + " " + d.root() + " has no '" + ImageRecords.ID + "' column to key its records by; prepare it"
          + " with prepare-images");
    }
    DatasetManifest.ImageGeometry g = d.manifest().image();
    if (g == null) {
      throw new DatasetException(option + " " + d.root() + " has images of different sizes; re-run prepare-images with --resize N");
    }
    NetworkEncoder encoder = NetworkEncoder.broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()), "trained", network,
        vertex, -1, new int[] {g.channels(), g.height(), g.width()}, EMBED_BATCH);
    Dataset<Row> features = Features.of(spark, records, encoder);
    // the broadcast encoder stays until the vectors are released: a lost cached block is recomputed from it
    return SparkVectors.fromFeatures(features, encoder::release);
  }

  @Override
  public Clustering clustering() {
    return new SparkClustering(spark);
  }

  @Override
  public RecordTable saveLabels(String name, Assignment assignment, double[] weightPerLabel) {
    SparkAssignment a = SparkAssignment.of(assignment);
    int labels = a.sizes().length;
    if (weightPerLabel.length != labels) {
      throw new IllegalArgumentException(weightPerLabel.length + " weights for " + labels + " labels");
    }
    String uri = run.stateTable(name).toString();
    double[] w = weightPerLabel.clone();
    UserDefinedFunction weight = functions.udf((UDF1<Integer, Double>) l -> w[l], DataTypes.DoubleType);
    Dataset<Row> table = a.rows.select(functions.col(SparkVectors.ID).as(RecordTable.ID),
        functions.col(SparkAssignment.CLUSTER).as(RecordTable.LABEL),
        weight.apply(functions.col(SparkAssignment.CLUSTER)).as(RecordTable.WEIGHT));
    table.write().mode(SaveMode.Overwrite).parquet(uri);
    long rows = 0;
    for (long s : a.sizes()) {
      rows += s;
    }
    return new RecordTable(name, uri, rows, labels);
  }

  @Override
  public Assignment labels(RecordTable table) {
    Dataset<Row> rows = spark.read().parquet(table.uri()).select(functions.col(RecordTable.ID).as(SparkVectors.ID),
        functions.lit(null).cast(DataTypes.IntegerType).as(SparkVectors.LABEL), functions.col(RecordTable.LABEL).as(SparkAssignment.CLUSTER))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    long[] sizes = new long[table.labels()];
    for (Row r : rows.groupBy(SparkAssignment.CLUSTER).count().collectAsList()) {
      int c = r.getInt(0);
      if (c < 0 || c >= sizes.length) {
        throw new DatasetException("table " + table.uri() + " holds label " + c + ", outside 0.." + (sizes.length - 1));
      }
      sizes[c] = r.getLong(1);
    }
    return new SparkAssignment(rows, sizes, null, false, () -> { });
  }

  @Override
  public void log(String type, Map<String, Object> fields, String line) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("epoch", epoch);
    m.put("roundsDone", roundsDone);
    m.putAll(fields);
    metrics.append(m);
    progress.println(line);
    progress.flush();
  }
}
