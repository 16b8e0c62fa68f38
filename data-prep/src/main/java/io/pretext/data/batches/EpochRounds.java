package io.pretext.data.batches;

import java.io.Serializable;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import scala.runtime.AbstractFunction1;

/**
 * Lays out the records of an epoch by round and worker once per epoch, so that a round's cost does not grow with the
 * corpus. For epoch {@code e}: every record gets its position in the epoch's deterministic shuffle
 * ({@link EpochOrder}); positions past the last complete round are left out of that epoch; then one shuffle sends
 * position {@code p} to partition {@code p / perWorker} = {@code round * workers + worker}, sorted by position inside.
 * Round {@code r} then reads only its own {@code workers} partitions through Spark's {@link PartitionPruningRDD}:
 * its tasks fetch their shuffle blocks and nothing else, so the Spark work of a round is the same for 60 thousand
 * records as for 100 million (the epoch's sort and shuffle are linear in the corpus and done once, in the first
 * round).
 *
 * <p>No persist is needed: the epoch's shuffle files are its cache, and each round's partitions are read once (the
 * driver persists the round's minibatches itself). The contents of a round are a pure function of (seed, epoch, record
 * ids), whatever the input partitioning.
 *
 * @param <T> record type
 */
public final class EpochRounds<T> {
  private final JavaPairRDD<String, T> byId;
  private final RoundLayout layout;
  private final long seed;
  private final int roundsPerEpoch;
  private final int sourcePartitions;
  private int epoch = -1;
  private JavaRDD<T> assigned;

  /**
   * @param byId records keyed by their id
   * @param records number of records (from the manifest)
   * @param layout the round layout
   * @param seed the run's seed
   */
  public EpochRounds(JavaPairRDD<String, T> byId, long records, RoundLayout layout, long seed) {
    this.byId = byId;
    this.layout = layout;
    this.seed = seed;
    this.roundsPerEpoch = layout.roundsPerEpoch(records);
    this.sourcePartitions = Math.max(1, byId.getNumPartitions());
    if ((long) roundsPerEpoch * layout.workers() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(roundsPerEpoch + " rounds x " + layout.workers()
          + " workers is more partitions than Spark allows; raise --batch-size-per-worker or --averaging-frequency");
    }
  }

  public int roundsPerEpoch() {
    return roundsPerEpoch;
  }

  /**
   * The records of {@code round} in {@code epoch}: {@link RoundLayout#workers()} partitions, partition {@code w}
   * holding worker {@code w}'s {@code recordsPerBatch x batchesPerWorker} records in epoch order.
   */
  public JavaRDD<T> round(int epoch, int round) {
    if (round < 0 || round >= roundsPerEpoch) {
      throw new IllegalArgumentException("round " + round + " is outside 0.." + (roundsPerEpoch - 1));
    }
    if (epoch != this.epoch) {
      assigned = assign(epoch);
      this.epoch = epoch;
    }
    PartitionPruningRDD<T> pruned = PartitionPruningRDD.create(assigned.rdd(), new InRound(round, layout.workers()));
    return JavaRDD.fromRDD(pruned, assigned.classTag());
  }

  private JavaRDD<T> assign(int e) {
    long perWorker = (long) layout.recordsPerBatch() * layout.batchesPerWorker();
    long used = roundsPerEpoch * layout.recordsPerRound();
    int slots = roundsPerEpoch * layout.workers();
    return EpochOrder.positions(byId, seed, e, sourcePartitions)
        .filter(t -> t._1() < used)
        .repartitionAndSortWithinPartitions(new SlotPartitioner(slots, perWorker))
        .values();
  }

  /** Position {@code p} goes to slot {@code p / perWorker} = {@code round * workers + worker}. */
  static final class SlotPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int slots;
    private final long perWorker;

    SlotPartitioner(int slots, long perWorker) {
      this.slots = slots;
      this.perWorker = perWorker;
    }

    @Override
    public int numPartitions() {
      return slots;
    }

    @Override
    public int getPartition(Object key) {
      return (int) ((Long) key / perWorker);
    }
  }

  /** Keeps the partitions of one round. */
  static final class InRound extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int round;
    private final int workers;

    InRound(int round, int workers) {
      this.round = round;
      this.workers = workers;
    }

    @Override
    public Object apply(Object partition) {
      return (Integer) partition / workers == round;
    }
  }
}
