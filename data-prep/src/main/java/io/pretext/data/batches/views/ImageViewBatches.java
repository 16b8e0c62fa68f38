package io.pretext.data.batches.views;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.augment.ViewBatch;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewSeeds;
import io.pretext.data.batches.EpochRounds;
import io.pretext.data.batches.RecordSample;
import io.pretext.data.batches.RoundLayout;
import io.pretext.data.batches.TrainingBatches;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.lifecycle.RecordTable;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.MultiViewMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Multi-view image minibatches (SimCLR, BYOL, MoCo, DeepCluster): each round's records come from {@link EpochRounds}
 * (one shuffle per epoch), are decoded, augmented into {@code V} views by a {@link ViewGenerator} (a pure function of
 * seed, epoch, record and view index) and packed as {@code [V*N, C, H, W]} grouped by view, with the records' ids, into
 * an {@link ImageBatch} handed to {@link MultiViewMethod#trainingBatch} for the tensors its graph fits.
 *
 * <p>While the method's state names a record table for the epoch ({@link MethodState#recordTable()}), the epoch's
 * records are that table joined by id and drawn by weight ({@link RecordSample}), and every batch carries the records'
 * labels; otherwise every record is used once per epoch, and batches carry the dataset's own labels when the method
 * trains on them ({@link MultiViewMethod#labelsFromDataset()}, fine-tuning) and none otherwise.
 */
public final class ImageViewBatches implements TrainingBatches {
  private static final int COLUMNS = ImageRecords.SCHEMA.size();
  private final JavaRDD<Row> rows;
  private final long count;
  private final ViewGenerator generator;
  private final MultiViewMethod method;
  private final RoundLayout layout;
  private final EpochRounds<Row> rounds;
  private final MethodState state;
  private boolean labelled;

  /**
   * @param rows records with {@link ImageRecords#SCHEMA}, persisted by the caller; released by {@link #close()}
   * @param count number of rows (known from the dataset manifest)
   * @param generator view recipes, one per view of the method
   * @param method the method the batches are for
   * @param layout the round layout
   * @param seed the run's seed (epoch order, sampling)
   * @param state the method's state, asked for its record table at the start of every epoch
   */
  public ImageViewBatches(SparkSession spark, JavaRDD<Row> rows, long count, ViewGenerator generator, MultiViewMethod method,
      RoundLayout layout, long seed, MethodState state) {
    if (generator.viewCount() != method.views()) {
      throw new IllegalArgumentException("the view recipes make " + generator.viewCount() + " views per image but "
          + method.name() + " trains on " + method.views());
    }
    this.rows = rows;
    this.count = count;
    this.generator = generator;
    this.method = method;
    this.layout = layout;
    this.state = state;
    JavaPairRDD<String, Row> once = rows.mapToPair(r -> new Tuple2<>(ImageRecords.id(r), r));
    this.rounds = new EpochRounds<>(epoch -> {
      Optional<RecordTable> table = state.recordTable();
      labelled = table.isPresent();
      return table.map(t -> RecordSample.of(spark, rows, ImageRecords::id, t, count, seed, epoch)).orElse(once);
    }, count, layout, seed);
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
  public void startEpoch(int epoch) {
    rounds.prepare(epoch);
  }

  @Override
  public JavaRDD<MultiDataSet> round(int epoch, int round) {
    JavaRDD<Row> records = rounds.round(epoch, round);
    ViewGenerator gen = generator;
    MultiViewMethod m = method;
    int n = layout.recordsPerBatch();
    boolean sampled = labelled;
    return records.mapPartitions(it -> batches(it, gen, m, epoch, n, sampled));
  }

  /**
   * Groups consecutive records into minibatches of {@code n} and turns each into the method's tensors.
   *
   * @param sampled whether the rows are copies drawn from the state's record table ({@link RecordSample}), labels
   *     included
   */
  static Iterator<MultiDataSet> batches(Iterator<Row> it, ViewGenerator gen, MultiViewMethod method, int epoch, int n,
      boolean sampled) {
    boolean fromDataset = !sampled && method.labelsFromDataset();
    boolean withLabels = sampled || fromDataset;
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public MultiDataSet next() {
        List<FloatImage[]> views = new ArrayList<>(n);
        List<String> ids = new ArrayList<>(n);
        long[] streams = new long[n];
        int[] labels = withLabels ? new int[n] : null;
        while (views.size() < n && it.hasNext()) {
          Row r = it.next();
          String id = ImageRecords.id(r);
          FloatImage original = FloatImage.fromBytes((byte[]) r.get(6), r.getInt(3), r.getInt(4), r.getInt(5));
          long key = sampled ? RecordSample.viewKey(id, r, COLUMNS) : ViewSeeds.recordKey(id);
          if (sampled) {
            labels[ids.size()] = RecordSample.label(r, COLUMNS);
          } else if (fromDataset) {
            labels[ids.size()] = datasetLabel(r, id, method);
          }
          streams[ids.size()] = gen.noiseStream(epoch, key);
          views.add(gen.views(original, epoch, key));
          ids.add(id);
        }
        int[] l = labels == null || labels.length == ids.size() ? labels : Arrays.copyOf(labels, ids.size());
        return toMultiDataSet(views.toArray(FloatImage[][]::new), ids.toArray(String[]::new), l, Arrays.copyOf(streams, ids.size()),
            method);
      }
    };
  }

  /** The record's own label, which a method training on the dataset's labels needs (the job checked every record has one). */
  private static int datasetLabel(Row r, String id, MultiViewMethod method) {
    Integer label = ImageRecords.label(r);
    if (label == null) {
      throw new IllegalArgumentException(method.name() + " trains on the dataset's labels, but record " + id + " has none; prepare"
          + " the dataset with labels (prepare-images --labels, --label-from-folder or --label-column)");
    }
    return label;
  }

  /**
   * Packs views of N images as {@code [V*N, C, H, W]} (grouped by view) into the method's tensors.
   *
   * @param streams per record the seed of the method's own noise ({@link ViewGenerator#noiseStream}), or null
   */
  public static MultiDataSet toMultiDataSet(FloatImage[][] viewsPerImage, String[] ids, int[] labels, long[] streams,
      MultiViewMethod method) {
    FloatImage first = viewsPerImage[0][0];
    long rowsTotal = (long) viewsPerImage.length * viewsPerImage[0].length;
    float[] data = ViewBatch.assemble(viewsPerImage);
    INDArray features = Nd4j.create(data, new long[] {rowsTotal, first.channels(), first.height(), first.width()}, 'c');
    return method.trainingBatch(new ImageBatch(features, ids, labels, streams));
  }

  @Override
  public void close() {
    rounds.close();
    rows.unpersist(false);
  }
}
