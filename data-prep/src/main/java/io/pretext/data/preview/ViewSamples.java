package io.pretext.data.preview;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewSeeds;
import io.pretext.data.batches.views.ViewSettings;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.image.DecodedImage;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The rows of a view grid ({@link ViewGrid}): the first {@code count} records of a dataset by id, each followed by
 * the views {@code pretrain} makes of it in epoch {@code epoch} with the same recipe, seed and generator (views are a
 * pure function of (seed, epoch, record, view), so these are the very views that train). Used by {@code show-views}
 * and the run report.
 */
public final class ViewSamples {
  private ViewSamples() {}

  /**
   * @param views the per-view recipe settings
   * @param seed the run's seed
   * @param count records (rows), at least 1
   * @param epoch 0-based epoch whose views to draw
   * @return one array per record: the original, then its views
   * @throws DatasetException if the dataset's images are not all of one size
   */
  public static List<FloatImage[]> rows(SparkSession spark, PreparedDataset dataset, ViewSettings views, long seed, int count,
      int epoch) {
    DatasetManifest.ImageGeometry g = dataset.manifest().image();
    if (g == null) {
      throw new DatasetException("dataset " + dataset.root() + " has images of different sizes; views need one size"
          + " (prepare-images --resize N)");
    }
    ViewGenerator generator = new ViewGenerator(views.recipes(g.channels(), g.height(), g.width()), seed);
    List<Row> rows = dataset.records(spark).orderBy(ImageRecords.ID).limit(count).collectAsList();
    List<FloatImage[]> grid = new ArrayList<>();
    for (Row r : rows) {
      DecodedImage img = ImageRecords.image(r);
      FloatImage original = FloatImage.fromBytes(img.pixels(), img.channels(), img.height(), img.width());
      FloatImage[] v = generator.views(original, epoch, ViewSeeds.recordKey(ImageRecords.id(r)));
      FloatImage[] row = new FloatImage[v.length + 1];
      row[0] = original;
      System.arraycopy(v, 0, row, 1, v.length);
      grid.add(row);
    }
    return grid;
  }
}
