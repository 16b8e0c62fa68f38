package io.pretext.jobs.lifecycle;

import io.pretext.data.dataset.ImageRecords;
import io.pretext.jobs.eval.Features;
import io.pretext.model.lifecycle.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@link Vectors} as a cached DataFrame of {@link #SCHEMA}: {@code id}, {@code label} (nullable) and {@code features}
 * (an MLlib vector, what {@code PCA} and {@code KMeans} read).
 */
public final class SparkVectors implements Vectors {
  static final String ID = "id";
  static final String LABEL = "label";
  static final String FEATURES = "features";
  static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField(ID, DataTypes.StringType, false, Metadata.empty()),
      new StructField(LABEL, DataTypes.IntegerType, true, Metadata.empty()),
      new StructField(FEATURES, new org.apache.spark.ml.linalg.VectorUDT(), false, Metadata.empty()),
  });

  final Dataset<Row> rows;
  private final Runnable onRelease;
  private final long count;
  private final int dimension;
  private final boolean labelled;

  /** Caches {@code rows} ({@link #SCHEMA}) and computes its size, width and whether any record has a label. */
  SparkVectors(Dataset<Row> rows) {
    this(rows, () -> { });
  }

  /** @param onRelease what {@link #release} frees besides the cache (the broadcast the vectors were computed with) */
  SparkVectors(Dataset<Row> rows, Runnable onRelease) {
    this.onRelease = onRelease;
    this.rows = rows.persist(StorageLevel.MEMORY_AND_DISK_SER());
    Row stats = this.rows.agg(functions.count(functions.lit(1)), functions.count(functions.col(LABEL))).first();
    this.count = stats.getLong(0);
    this.labelled = stats.getLong(1) > 0;
    this.dimension = count == 0 ? 0 : ((org.apache.spark.ml.linalg.Vector) this.rows.first().get(2)).size();
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public boolean labelled() {
    return labelled;
  }

  @Override
  public void release() {
    rows.unpersist(false);
    onRelease.run();
  }

  /**
   * Vectors from a {@link Features} dataset (id, label, representation), cached.
   *
   * @param onRelease what {@link #release} frees besides the cache (the broadcast the features are computed with)
   */
  public static Vectors fromFeatures(Dataset<Row> features, Runnable onRelease) {
    return new SparkVectors(features.select(functions.col(ImageRecords.ID), functions.col(ImageRecords.LABEL),
        org.apache.spark.ml.functions.array_to_vector(functions.col(Features.REPRESENTATION)).as(FEATURES)), onRelease);
  }

  static SparkVectors of(Vectors v) {
    if (!(v instanceof SparkVectors s)) {
      throw new IllegalArgumentException("these vectors were not made by this run's context: " + v.getClass().getName());
    }
    return s;
  }
}
