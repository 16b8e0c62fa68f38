package io.pretext.jobs.lifecycle;

import io.pretext.model.lifecycle.Assignment;
import io.pretext.model.lifecycle.Centroids;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** {@link Assignment} as a cached DataFrame of {@link #SCHEMA}: {@code id}, {@code label} (nullable), {@code cluster}. */
final class SparkAssignment implements Assignment {
  static final String CLUSTER = "cluster";
  static final StructType SCHEMA = new StructType(new StructField[] {
      new StructField(SparkVectors.ID, DataTypes.StringType, false, Metadata.empty()),
      new StructField(SparkVectors.LABEL, DataTypes.IntegerType, true, Metadata.empty()),
      new StructField(CLUSTER, DataTypes.IntegerType, false, Metadata.empty()),
  });

  final Dataset<Row> rows;
  final boolean labelled;
  private final Runnable onRelease;
  private final long[] sizes;
  private final Centroids centroids;

  SparkAssignment(Dataset<Row> rows, long[] sizes, Centroids centroids, boolean labelled, Runnable onRelease) {
    this.rows = rows;
    this.onRelease = onRelease;
    this.sizes = sizes.clone();
    this.centroids = centroids;
    this.labelled = labelled;
  }

  @Override
  public long[] sizes() {
    return sizes.clone();
  }

  @Override
  public Centroids centroids() {
    return centroids;
  }

  @Override
  public void release() {
    rows.unpersist(false);
    onRelease.run();
  }

  static SparkAssignment of(Assignment a) {
    if (!(a instanceof SparkAssignment s)) {
      throw new IllegalArgumentException("this assignment was not made by this run's context: " + a.getClass().getName());
    }
    return s;
  }
}
