package io.pretext.jobs.generative;

import io.pretext.data.augment.ViewSeeds;
import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.dataset.PreparedDataset;
import io.pretext.data.image.Pixels;
import io.pretext.model.DatasetKind;
import io.pretext.model.InputShape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * A fixed sample of a prepared image dataset on the driver, as network input: the {@code count} records with the
 * smallest record keys ({@link ViewSeeds#recordKey}, a pseudo-random order that does not depend on shards or
 * partitions), in that order, so that every epoch's monitor and every {@code reconstruct} of one dataset sees the same
 * images.
 *
 * @param ids the records' ids, in order
 * @param shape every image's shape
 * @param images {@code [n, C, H, W]} in [0, 1] ({@link Pixels})
 */
public record ImageSample(List<String> ids, InputShape shape, INDArray images) {

  /**
   * Reads the sample.
   *
   * @param option the option that named the dataset, for messages
   * @throws DatasetException if the dataset is not images of one size, or empty
   */
  public static ImageSample of(SparkSession spark, String option, PreparedDataset dataset, int count) {
    InputShape shape = imageShape(option, dataset);
    List<Tuple2<Long, Tuple2<String, byte[]>>> rows = dataset.records(spark).javaRDD()
        .map(r -> {
          String id = ImageRecords.id(r);
          return new Tuple2<>(ViewSeeds.recordKey(id), new Tuple2<>(id, ImageRecords.image(r).pixels()));
        })
        .takeOrdered(count, new ByKey());
    int pixels = shape.channels() * shape.height() * shape.width();
    float[] data = new float[rows.size() * pixels];
    List<String> ids = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      ids.add(rows.get(i)._2()._1());
      Pixels.toInput(rows.get(i)._2()._2(), data, i * pixels);
    }
    INDArray images = Nd4j.create(data, new long[] {rows.size(), shape.channels(), shape.height(), shape.width()}, 'c');
    return new ImageSample(List.copyOf(ids), shape, images);
  }

  /**
   * The shape of every image of {@code dataset}, from its manifest (no Spark job).
   *
   * @param option the option that named the dataset, for messages
   * @throws DatasetException if the dataset is not images of one size, or empty
   */
  public static InputShape imageShape(String option, PreparedDataset dataset) {
    if (dataset.kind() != DatasetKind.IMAGE) {
      throw new DatasetException(option + " " + dataset.root() + " holds " + dataset.kind() + " records; a generative method reconstructs"
          + " images: name a dataset made by prepare-images");
    }
    DatasetManifest.ImageGeometry g = dataset.manifest().image();
    if (g == null) {
      throw new DatasetException(option + " " + dataset.root() + " has images of different sizes; re-run prepare-images with --resize N");
    }
    if (dataset.manifest().totalRecords() == 0) {
      throw new DatasetException(option + " " + dataset.root() + " holds no records");
    }
    return new InputShape(g.channels(), g.height(), g.width());
  }

  /** Images in the sample. */
  public int size() {
    return ids.size();
  }

  /** Orders sample entries by record key (serializable: Spark ships it to the executors). */
  private static final class ByKey implements Comparator<Tuple2<Long, Tuple2<String, byte[]>>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<Long, Tuple2<String, byte[]>> a, Tuple2<Long, Tuple2<String, byte[]>> b) {
      return Long.compare(a._1(), b._1());
    }
  }
}
