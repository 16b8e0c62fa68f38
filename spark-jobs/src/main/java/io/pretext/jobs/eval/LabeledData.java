package io.pretext.jobs.eval;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.model.DatasetKind;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A prepared dataset every record of which has a label: images of one size (prepare-images with {@code --labels},
 * {@code --label-from-folder} or {@code --label-column}), or text documents (prepare-text with {@code --label-field} or
 * {@code --label-column}; a document longer than one sequence is several windows sharing its label).
 *
 * @param uri where it is
 * @param dataset the opened dataset (complete: {@code _SUCCESS} was checked)
 * @param shape {@code {C, H, W}} of every image; null for text
 * @param size number of examples the classifiers see: images, or documents for text
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
    boolean text = dataset.kind() == DatasetKind.TEXT;
    int[] shape = null;
    if (!text) {
      DatasetManifest.ImageGeometry g = dataset.manifest().image();
      if (g == null) {
        throw new DatasetException(option + " " + uri + " has images of different sizes; re-run prepare-images with --resize N");
      }
      shape = new int[] {g.channels(), g.height(), g.width()};
    }
    Dataset<Row> records = dataset.records(spark);
    long records0 = dataset.manifest().totalRecords();
    if (records0 == 0) {
      throw new DatasetException(option + " " + uri + " holds no records");
    }
    long unlabeled = records.filter(functions.col(ImageRecords.LABEL).isNull()).count();
    if (unlabeled > 0) {
      throw new DatasetException(option + " " + uri + ": " + unlabeled + " of " + records0 + " records have no label; evaluation needs a"
          + " labeled dataset (" + (text ? "prepare-text --label-field for JSON Lines, --label-column for Parquet"
          : "prepare-images --labels for IDX, --label-from-folder for directories, --label-column for Parquet") + ")");
    }
    return new LabeledData(uri, dataset, shape, text ? dataset.text().documents() : records0);
  }

  public DatasetKind kind() {
    return dataset.kind();
  }

  public Dataset<Row> records(SparkSession spark) {
    return dataset.records(spark);
  }
}
