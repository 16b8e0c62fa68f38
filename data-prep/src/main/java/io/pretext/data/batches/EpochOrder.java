package io.pretext.data.batches;

import io.pretext.data.augment.ViewSeeds;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * A deterministic shuffle for each epoch: every record gets the sort key
 * {@code mix(seed, epoch, recordKey)} and its position in that order. The order depends only on
 * the seed, the epoch and the record ids, never on partitioning or input order.
 */
public final class EpochOrder {
  private EpochOrder() {}

  /** {@code (position, record)} pairs for {@code epoch}, positions 0..n-1. Runs one sort and one count. */
  public static <T> JavaPairRDD<Long, T> positions(JavaPairRDD<String, T> byId, long seed, int epoch, int partitions) {
    JavaPairRDD<Tuple2<Long, String>, T> keyed = byId.mapToPair(t ->
        new Tuple2<>(new Tuple2<>(ViewSeeds.mix(seed, epoch, ViewSeeds.recordKey(t._1()), -1), t._1()), t._2()));
    JavaRDD<T> ordered = keyed.sortByKey(new KeyOrder(), true, partitions).values();
    return ordered.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
  }

  /** Orders by mixed key, then by id so that a (vanishingly unlikely) key collision is still deterministic. */
  static final class KeyOrder implements java.util.Comparator<Tuple2<Long, String>>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<Long, String> a, Tuple2<Long, String> b) {
      int c = Long.compare(a._1(), b._1());
      return c != 0 ? c : a._2().compareTo(b._2());
    }
  }
}
