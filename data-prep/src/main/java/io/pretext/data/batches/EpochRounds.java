package io.pretext.data.batches;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
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
 * <p>The source is the same every epoch (every record once per epoch), or made per epoch by the caller (records
 * joined with a method's record table and drawn with replacement by weight): then it is persisted for the epoch,
 * counted, and, when it falls short of the epoch's complete rounds, its order is repeated from the start to fill them.
 *
 * @param <T> record type
 */
public final class EpochRounds<T> {
  private final Function<Integer, JavaPairRDD<String, T>> perEpoch;
  private final boolean fixed;
  private final RoundLayout layout;
  private final long seed;
  private final int roundsPerEpoch;
  private int epoch = -1;
  private JavaRDD<T> assigned;
  private JavaPairRDD<String, T> source;

  /**
   * @param byId records keyed by their id, the same every epoch: every record once per epoch
   * @param records number of records (from the manifest)
   * @param layout the round layout
   * @param seed the run's seed
   */
  public EpochRounds(JavaPairRDD<String, T> byId, long records, RoundLayout layout, long seed) {
    this(e -> byId, true, records, layout, seed);
  }

  /**
   * Rounds over a source that may change each epoch (a record table joined, records sampled with replacement): the
   * keys of an epoch's source must be unique; when it holds fewer entries than the epoch's complete rounds need, the
   * epoch order is repeated from its start to fill them (a sample of the corpus's size can fall a few records short).
   *
   * @param perEpoch the records of epoch {@code e}, keyed by a unique key; called once per epoch, on the driver
   * @param records number of records an epoch lays out (the corpus's size)
   */
  public EpochRounds(Function<Integer, JavaPairRDD<String, T>> perEpoch, long records, RoundLayout layout, long seed) {
    this(perEpoch, false, records, layout, seed);
  }

  private EpochRounds(Function<Integer, JavaPairRDD<String, T>> perEpoch, boolean fixed, long records, RoundLayout layout,
      long seed) {
    this.perEpoch = perEpoch;
    this.fixed = fixed;
    this.layout = layout;
    this.seed = seed;
    this.roundsPerEpoch = layout.roundsPerEpoch(records);
    if ((long) roundsPerEpoch * layout.workers() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(roundsPerEpoch + " rounds x " + layout.workers()
          + " workers is more partitions than Spark allows; raise --batch-size-per-worker or --averaging-frequency");
    }
  }

  public int roundsPerEpoch() {
    return roundsPerEpoch;
  }

  /** Lays out {@code epoch} now (its source, sort and count), unless it is the epoch already laid out. */
  public void prepare(int epoch) {
    if (epoch != this.epoch) {
      assigned = assign(epoch);
      this.epoch = epoch;
    }
  }

  /**
   * The records of {@code round} in {@code epoch}: {@link RoundLayout#workers()} partitions, partition {@code w}
   * holding worker {@code w}'s {@code recordsPerBatch x batchesPerWorker} records in epoch order.
   */
  public JavaRDD<T> round(int epoch, int round) {
    if (round < 0 || round >= roundsPerEpoch) {
      throw new IllegalArgumentException("round " + round + " is outside 0.." + (roundsPerEpoch - 1));
    }
    prepare(epoch);
    PartitionPruningRDD<T> pruned = PartitionPruningRDD.create(assigned.rdd(), new InRound(round, layout.workers()));
    return JavaRDD.fromRDD(pruned, assigned.classTag());
  }

  private JavaRDD<T> assign(int e) {
    JavaPairRDD<String, T> byId = perEpoch.apply(e);
    long perWorker = (long) layout.recordsPerBatch() * layout.batchesPerWorker();
    long used = roundsPerEpoch * layout.recordsPerRound();
    int slots = roundsPerEpoch * layout.workers();
    long total = -1;
    if (!fixed) {
      // A source that changes per epoch: kept for the epoch's sort and count, released when the next epoch is laid out.
      if (source != null) {
        source.unpersist(false);
      }
      source = byId.persist(StorageLevel.MEMORY_AND_DISK_SER());
      total = source.count();
      if (total == 0 && used > 0) {
        throw new IllegalStateException("epoch " + e + " has no records to lay out");
      }
    }
    JavaPairRDD<Long, T> positions = EpochOrder.positions(byId, seed, e, Math.max(1, byId.getNumPartitions()));
    if (total >= 0 && total < used) {
      long n = total;
      positions = positions.flatMapToPair(t -> {
        List<Tuple2<Long, T>> out = new ArrayList<>();
        for (long p = t._1(); p < used; p += n) {
          out.add(new Tuple2<>(p, t._2()));
        }
        return out.iterator();
      });
    }
    return positions
        .filter(t -> t._1() < used)
        .repartitionAndSortWithinPartitions(new SlotPartitioner(slots, perWorker))
        .values();
  }

  /** Releases the last per-epoch source, if any. */
  public void close() {
    if (source != null) {
      source.unpersist(false);
      source = null;
    }
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
