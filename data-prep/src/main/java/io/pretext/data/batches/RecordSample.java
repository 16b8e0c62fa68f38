package io.pretext.data.batches;

import io.pretext.data.augment.ViewSeeds;
import io.pretext.model.lifecycle.RecordTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * An epoch's records joined with a method's {@link RecordTable} by id and drawn with replacement by weight: the
 * source of an epoch whose batches carry labels (DeepCluster's pseudo-labels) and sample non-uniformly (uniform over
 * clusters). Record {@code i} with weight {@code w_i} (weights sum to the corpus's size {@code N}) gets
 * {@code floor(l_i)} copies plus one more with probability {@code l_i - floor(l_i)}, where
 * {@code l_i = w_i (1 + 3 / sqrt(N))}: a draw is a pure function of (seed, epoch, record), and the expected total
 * {@code N (1 + 3 / sqrt(N))} exceeds {@code N} by six standard deviations of the total, so the epoch's complete rounds
 * are nearly always filled from fresh draws ({@link EpochRounds} repeats the order otherwise). Records the table does
 * not name are left out of the epoch; the table's records that the dataset lacks are ignored.
 *
 * <p>Each copy is a row of the record's columns followed by two: its label ({@code int}) and its copy index
 * ({@code int}, 0 for the first), keyed {@code id} for copy 0 and {@code id#c} for the others, so copies have their own
 * place in the epoch order and, through {@link #viewKey}, their own augmentations.
 */
public final class RecordSample {
  private RecordSample() {}

  /**
   * The epoch's copies.
   *
   * @param rows the dataset's records
   * @param id reads a record's id
   * @param records the corpus's size {@code N}
   */
  public static JavaPairRDD<String, Row> of(SparkSession spark, JavaRDD<Row> rows, Function<Row, String> id, RecordTable table,
      long records, long seed, int epoch) {
    double boost = 1 + 3 / Math.sqrt(Math.max(1, records));
    JavaPairRDD<String, Tuple2<Integer, Double>> labels = spark.read().parquet(table.uri()).javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getString(r.fieldIndex(RecordTable.ID)),
            new Tuple2<>(r.getInt(r.fieldIndex(RecordTable.LABEL)), r.getDouble(r.fieldIndex(RecordTable.WEIGHT)))));
    return rows.mapToPair(r -> new Tuple2<>(id.call(r), r)).join(labels).flatMapToPair(t -> {
      String key = t._1();
      Row r = t._2()._1();
      int label = t._2()._2()._1();
      double l = t._2()._2()._2() * boost;
      int copies = (int) Math.floor(l);
      double u = (ViewSeeds.mix(seed, epoch, ViewSeeds.recordKey(key), -2) >>> 11) * 0x1.0p-53;
      if (u < l - copies) {
        copies++;
      }
      List<Tuple2<String, Row>> out = new ArrayList<>(copies);
      for (int c = 0; c < copies; c++) {
        Object[] values = new Object[r.length() + 2];
        for (int i = 0; i < r.length(); i++) {
          values[i] = r.get(i);
        }
        values[r.length()] = label;
        values[r.length() + 1] = c;
        out.add(new Tuple2<>(c == 0 ? key : key + "#" + c, RowFactory.create(values)));
      }
      return out.iterator();
    });
  }

  /** The label of a copy made by {@link #of} from a record of {@code columns} columns. */
  public static int label(Row copy, int columns) {
    return copy.getInt(columns);
  }

  /** The key a copy's augmentations are drawn with: the record's own for copy 0, another for every further copy. */
  public static long viewKey(String id, Row copy, int columns) {
    int c = copy.getInt(columns + 1);
    return ViewSeeds.recordKey(c == 0 ? id : id + "#" + c);
  }
}
