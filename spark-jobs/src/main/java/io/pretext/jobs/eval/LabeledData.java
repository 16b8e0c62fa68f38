package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A prepared dataset every record of which has a label (prepare-images with {@code --labels},
 * {@code --label-from-folder} or {@code --label-column}) and one image size.
 *
 * @param uri where it is
 * @param dataset the opened dataset (complete: {@code _SUCCESS} was checked)
 * @param shape {@code {C, H, W}} of every image
 * @param size number of records
 */
public record LabeledData(String uri, PreparedDataset dataset, int[] shape, long size) {

  /**
   * Opens {@code uri} and checks it.
   *
   * @param option the option that named it ({@code --train}), for messages
   * @throws DatasetException if it is missing, incomplete, of mixed image sizes, or has unlabeled records
   */
  public static LabeledData open(SparkSession spark, String option, String uri) {
    PreparedDataset dataset = PreparedDataset.open(uri, spark);
    DatasetManifest.ImageGeometry g = dataset.manifest().image();
    if (g == null) {
      throw new DatasetException(option + " " + uri + " has images of different sizes; re-run prepare-images with --resize N");
    }
    Dataset<Row> records = dataset.records(spark);
    long size = dataset.manifest().totalRecords();
    if (size == 0) {
      throw new DatasetException(option + " " + uri + " holds no records");
    }
    long unlabeled = records.filter(functions.col(ImageRecords.LABEL).isNull()).count();
    if (unlabeled > 0) {
      throw new DatasetException(option + " " + uri + ": " + unlabeled + " of " + size + " records have no label; evaluation needs a"
          + " labeled dataset (prepare-images --labels for IDX, --label-from-folder for directories, --label-column for Parquet)");
    }
    return new LabeledData(uri, dataset, new int[] {g.channels(), g.height(), g.width()}, size);
  }

  public Dataset<Row> records(SparkSession spark) {
    return dataset.records(spark);
  }
}
