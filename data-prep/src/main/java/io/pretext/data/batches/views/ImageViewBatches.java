package io.pretext.data.batches.views;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.augment.ViewBatch;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewSeeds;
import io.pretext.data.batches.EpochRounds;
import io.pretext.data.batches.RoundLayout;
import io.pretext.data.batches.TrainingBatches;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.model.method.MultiViewMethod;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Multi-view image minibatches (SimCLR, BYOL; MoCo later): each round's records come from {@link EpochRounds} (one
 * shuffle per epoch), are decoded, augmented into {@code V} views by a {@link ViewGenerator} (a pure function of seed,
 * epoch, record and view index) and packed as {@code [V*N, C, H, W]} grouped by view, then handed to
 * {@link MultiViewMethod#trainingBatch} for the tensors its graph fits.
 */
public final class ImageViewBatches implements TrainingBatches {
  private final JavaRDD<Row> rows;
  private final long count;
  private final ViewGenerator generator;
  private final MultiViewMethod method;
  private final RoundLayout layout;
  private final EpochRounds<Row> rounds;

  /**
   * @param rows records with {@link ImageRecords#SCHEMA}, persisted by the caller; released by {@link #close()}
   * @param count number of rows (known from the dataset manifest)
   * @param generator view recipes, one per view of the method
   * @param method the method the batches are for
   * @param layout the round layout
   * @param seed the run's seed (epoch order)
   */
  public ImageViewBatches(JavaRDD<Row> rows, long count, ViewGenerator generator, MultiViewMethod method, RoundLayout layout,
      long seed) {
    if (generator.viewCount() != method.views()) {
      throw new IllegalArgumentException("the view recipes make " + generator.viewCount() + " views per image but "
          + method.name() + " trains on " + method.views());
    }
    this.rows = rows;
    this.count = count;
    this.generator = generator;
    this.method = method;
    this.layout = layout;
    this.rounds = new EpochRounds<>(rows.mapToPair(r -> new Tuple2<>(ImageRecords.id(r), r)), count, layout, seed);
  }

  @Override
  public long records() {
    return count;
  }

  @Override
  public RoundLayout layout() {
    return layout;
  }

  @Override
  public JavaRDD<MultiDataSet> round(int epoch, int round) {
    ViewGenerator gen = generator;
    MultiViewMethod m = method;
    int n = layout.recordsPerBatch();
    return rounds.round(epoch, round).mapPartitions(it -> batches(it, gen, m, epoch, n));
  }

  /** Groups consecutive records into minibatches of {@code n} and turns each into the method's tensors. */
  static Iterator<MultiDataSet> batches(Iterator<Row> it, ViewGenerator gen, MultiViewMethod method, int epoch, int n) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public MultiDataSet next() {
        List<FloatImage[]> views = new ArrayList<>(n);
        while (views.size() < n && it.hasNext()) {
          Row r = it.next();
          FloatImage original = FloatImage.fromBytes((byte[]) r.get(6), r.getInt(3), r.getInt(4), r.getInt(5));
          views.add(gen.views(original, epoch, ViewSeeds.recordKey(ImageRecords.id(r))));
        }
        return toMultiDataSet(views.toArray(FloatImage[][]::new), method);
      }
    };
  }

  /** Packs views of N images as {@code [V*N, C, H, W]} (grouped by view) into the method's tensors. */
  public static MultiDataSet toMultiDataSet(FloatImage[][] viewsPerImage, MultiViewMethod method) {
    FloatImage first = viewsPerImage[0][0];
    long rowsTotal = (long) viewsPerImage.length * viewsPerImage[0].length;
    float[] data = ViewBatch.assemble(viewsPerImage);
    INDArray features = Nd4j.create(data, new long[] {rowsTotal, first.channels(), first.height(), first.width()}, 'c');
    return method.trainingBatch(features);
  }

  @Override
  public void close() {
    rows.unpersist(false);
  }
}
