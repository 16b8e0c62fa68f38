package io.pretext.data.batches;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.augment.ViewBatch;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewSeeds;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.model.method.SslMethod;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Multi-view image minibatches (SimCLR, and later BYOL/MoCo): each round's records are shuffled
 * to their workers, decoded, augmented into {@code V} views by a {@link ViewGenerator} (a pure
 * function of seed, epoch, record and view index) and packed as {@code [V*N, C, H, W]} grouped by
 * view, then handed to {@link SslMethod#trainingBatch} for the labels its loss expects.
 *
 * <p>The epoch order is computed once per epoch and kept serialized in memory (spilling to disk);
 * each round then selects its slice of positions.
 */
public final class ImageViewBatches implements TrainingBatches {
  private final JavaPairRDD<String, Row> records;
  private final long count;
  private final ViewGenerator generator;
  private final SslMethod method;
  private final RoundLayout layout;
  private final long seed;
  private final int partitions;
  private int cachedEpoch = -1;
  private JavaPairRDD<Long, Row> epochPositions;

  /**
   * @param rows records with {@link ImageRecords#SCHEMA}
   * @param count number of rows (known from the dataset manifest)
   */
  public ImageViewBatches(JavaRDD<Row> rows, long count, ViewGenerator generator, SslMethod method, RoundLayout layout, long seed) {
    if (generator.viewCount() != method.viewsPerRecord()) {
      throw new IllegalArgumentException("the view recipe makes " + generator.viewCount() + " views per image but "
          + method.name() + " trains on " + method.viewsPerRecord());
    }
    this.records = rows.mapToPair(r -> new Tuple2<>(ImageRecords.id(r), r));
    this.count = count;
    this.generator = generator;
    this.method = method;
    this.layout = layout;
    this.seed = seed;
    this.partitions = Math.max(1, rows.getNumPartitions());
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
  public JavaRDD<DataSet> round(int epoch, int round) {
    if (round < 0 || round >= roundsPerEpoch()) {
      throw new IllegalArgumentException("round " + round + " is outside 0.." + (roundsPerEpoch() - 1));
    }
    JavaPairRDD<Long, Row> positions = positions(epoch);
    long start = round * layout.recordsPerRound();
    long end = start + layout.recordsPerRound();
    long perWorker = (long) layout.recordsPerBatch() * layout.batchesPerWorker();
    JavaPairRDD<Long, Row> slice = positions.filter(t -> t._1() >= start && t._1() < end)
        .repartitionAndSortWithinPartitions(new EpochOrder.WorkerPartitioner(layout.workers(), start, perWorker));
    ViewGenerator gen = generator;
    SslMethod m = method;
    int n = layout.recordsPerBatch();
    return slice.mapPartitions(it -> batches(it, gen, m, epoch, n));
  }

  /** Groups consecutive records into minibatches of {@code n} and turns each into a DataSet. */
  static Iterator<DataSet> batches(Iterator<Tuple2<Long, Row>> it, ViewGenerator gen, SslMethod method, int epoch, int n) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public DataSet next() {
        List<FloatImage[]> views = new ArrayList<>(n);
        while (views.size() < n && it.hasNext()) {
          Row r = it.next()._2();
          FloatImage original = FloatImage.fromBytes((byte[]) r.get(6), r.getInt(3), r.getInt(4), r.getInt(5));
          views.add(gen.views(original, epoch, ViewSeeds.recordKey(ImageRecords.id(r))));
        }
        return toDataSet(views.toArray(FloatImage[][]::new), method);
      }
    };
  }

  /** Packs views of N images as {@code [V*N, C, H, W]} (grouped by view) into the method's DataSet. */
  public static DataSet toDataSet(FloatImage[][] viewsPerImage, SslMethod method) {
    FloatImage first = viewsPerImage[0][0];
    long rows = (long) viewsPerImage.length * viewsPerImage[0].length;
    float[] data = ViewBatch.assemble(viewsPerImage);
    INDArray features = Nd4j.create(data, new long[] {rows, first.channels(), first.height(), first.width()}, 'c');
    return method.trainingBatch(features);
  }

  private JavaPairRDD<Long, Row> positions(int epoch) {
    if (epoch != cachedEpoch) {
      close();
      epochPositions = EpochOrder.positions(records, seed, epoch, partitions).persist(StorageLevel.MEMORY_AND_DISK_SER());
      cachedEpoch = epoch;
    }
    return epochPositions;
  }

  @Override
  public void close() {
    if (epochPositions != null) {
      epochPositions.unpersist(false);
      epochPositions = null;
      cachedEpoch = -1;
    }
  }
}
