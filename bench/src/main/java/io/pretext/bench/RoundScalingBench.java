package io.pretext.bench;

import io.pretext.data.augment.FloatImage;
import io.pretext.data.augment.ViewGenerator;
import io.pretext.data.augment.ViewRecipe;
import io.pretext.data.batches.EpochOrder;
import io.pretext.data.batches.RoundLayout;
import io.pretext.data.batches.views.ImageViewBatches;
import io.pretext.data.dataset.ImageRecords;
import io.pretext.data.image.DecodedImage;
import io.pretext.data.spark.SparkSessions;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * Spark and driver time per round outside {@code fit}, against the size of the corpus: what the driver pays to get a
 * round's minibatches materialised (the pretraining driver's {@code persist + count} of a round) before the trainer
 * runs. Same round size (2 workers x 128 images x 5 minibatches), tiny 4x4 images so that the view work is negligible
 * and the Spark work is what is measured.
 *
 * <p>Two layouts: {@code rounds} is today's ({@code EpochRounds}: one shuffle per epoch, each round reads only its own
 * partitions); {@code filter} is the layout before it (every round filtered the whole epoch order and shuffled its
 * slice), kept here for comparison.
 *
 * <pre>
 *   mvn -q -pl bench -am package -DskipTests && mvn -q -pl spark-jobs -am package -DskipTests
 *   java $(sed -n 's:.*&lt;pretext.addOpens&gt;\(.*\)&lt;/pretext.addOpens&gt;.*:\1:p' pom.xml) -Xmx6g \
 *     -cp "bench/target/pretext-bench-0.1.0-SNAPSHOT.jar:$(cat spark-jobs/target/classpath.txt)" \
 *     io.pretext.bench.RoundScalingBench 60000,2000000 30
 * </pre>
 * Prints one line per (records, layout) and a JSON line.
 */
public final class RoundScalingBench {
  private static final RoundLayout LAYOUT = new RoundLayout(2, 128, 5);

  private RoundScalingBench() {}

  public static void main(String[] args) {
    long[] sizes = Arrays.stream((args.length > 0 ? args[0] : "60000,2000000").split(",")).mapToLong(Long::parseLong).toArray();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    SparkSession spark = SparkSessions.create("round-scaling-bench", Map.of("spark.master", "local[2]", "spark.ui.enabled", "false",
        "spark.default.parallelism", "2"));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SimClr method = new SimClr(SimClrConfig.defaults());
    ViewGenerator views = ViewGenerator.uniform(ViewRecipe.simclrSmall(4, 4, 1), 2, 1);
    List<String> json = new ArrayList<>();
    for (long n : sizes) {
      JavaRDD<Row> rows = sc.parallelize(List.of(0), 1).flatMap(x -> new Generator(n))
          .repartition(Math.max(2, (int) (n / 250_000))).persist(StorageLevel.MEMORY_AND_DISK_SER());
      rows.count();
      for (String layout : List.of("rounds", "filter")) {
        if (layout.equals("filter") && n > 2_000_000) {
          continue;
        }
        double[] t = layout.equals("rounds") ? epochRounds(rows, n, views, method, rounds) : filtered(rows, n, views, method, rounds);
        double first = t[0];
        double[] rest = Arrays.copyOfRange(t, 1, t.length);
        Arrays.sort(rest);
        double median = rest[rest.length / 2];
        double p90 = rest[(int) (rest.length * 0.9)];
        System.out.printf(Locale.ROOT, "%,11d records  %-6s  first round (epoch set-up) %7.2f s   then per round: median %6.3f s, p90 %6.3f s%n",
            n, layout, first, median, p90);
        json.add(String.format(Locale.ROOT, "{\"records\":%d,\"layout\":\"%s\",\"firstRoundSeconds\":%.3f,\"medianRoundSeconds\":%.4f,"
            + "\"p90RoundSeconds\":%.4f,\"rounds\":%d}", n, layout, first, median, p90, t.length));
      }
      rows.unpersist(true);
    }
    System.out.println("{\"bench\":\"round-scaling\",\"results\":[" + String.join(",", json) + "]}");
    spark.stop();
  }

  private static double[] epochRounds(JavaRDD<Row> rows, long n, ViewGenerator views, SimClr method, int rounds) {
    ImageViewBatches batches = new ImageViewBatches(SparkSession.active(), rows, n, views, method, LAYOUT, 7, MethodState.NONE);
    double[] t = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      JavaRDD<MultiDataSet> round = batches.round(0, r).persist(StorageLevel.MEMORY_AND_DISK_SER());
      round.count();
      round.unpersist(false);
      t[r] = (System.nanoTime() - t0) / 1e9;
    }
    return t;
  }

  /** The layout before EpochRounds: the epoch order persisted, each round a filter over all of it plus a shuffle. */
  private static double[] filtered(JavaRDD<Row> rows, long n, ViewGenerator views, SimClr method, int rounds) {
    double[] t = new double[rounds];
    long t0 = System.nanoTime();
    JavaPairRDD<Long, Row> positions = EpochOrder.positions(rows.mapToPair(r -> new Tuple2<>(ImageRecords.id(r), r)), 7, 0,
        rows.getNumPartitions()).persist(StorageLevel.MEMORY_AND_DISK_SER());
    long perWorker = (long) LAYOUT.recordsPerBatch() * LAYOUT.batchesPerWorker();
    for (int r = 0; r < rounds; r++) {
      long roundStart = r == 0 ? t0 : System.nanoTime(); // round 0 includes the epoch's sort
      long start = r * LAYOUT.recordsPerRound();
      long end = start + LAYOUT.recordsPerRound();
      JavaRDD<Row> slice = positions.filter(p -> p._1() >= start && p._1() < end)
          .repartitionAndSortWithinPartitions(new Slice(LAYOUT.workers(), start, perWorker)).values();
      JavaRDD<MultiDataSet> round = slice.mapPartitions(it -> {
        List<MultiDataSet> out = new ArrayList<>();
        List<FloatImage[]> batch = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (it.hasNext()) {
          Row row = it.next();
          DecodedImage img = ImageRecords.image(row);
          batch.add(views.views(FloatImage.fromBytes(img.pixels(), 1, 4, 4), 0, 1));
          ids.add(ImageRecords.id(row));
          if (batch.size() == LAYOUT.recordsPerBatch()) {
            out.add(ImageViewBatches.toMultiDataSet(batch.toArray(FloatImage[][]::new), ids.toArray(String[]::new), null, null, method));
            batch.clear();
            ids.clear();
          }
        }
        return out.iterator();
      }).persist(StorageLevel.MEMORY_AND_DISK_SER());
      round.count();
      round.unpersist(false);
      t[r] = (System.nanoTime() - roundStart) / 1e9;
    }
    positions.unpersist(false);
    return t;
  }

  /** Position p of a round starting at {@code start} to worker (p - start) / perWorker. */
  static final class Slice extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int workers;
    private final long start;
    private final long perWorker;

    Slice(int workers, long start, long perWorker) {
      this.workers = workers;
      this.start = start;
      this.perWorker = perWorker;
    }

    @Override
    public int numPartitions() {
      return workers;
    }

    @Override
    public int getPartition(Object key) {
      return (int) (((Long) key - start) / perWorker);
    }
  }

  /** {@code n} distinct 4x4 grey images with hash-like ids, generated in the executor. */
  static final class Generator implements java.util.Iterator<Row> {
    private final long n;
    private long i;

    Generator(long n) {
      this.n = n;
    }

    @Override
    public boolean hasNext() {
      return i < n;
    }

    @Override
    public Row next() {
      long h = mix(i++);
      byte[] px = new byte[16];
      for (int k = 0; k < 16; k++) {
        px[k] = (byte) (h >>> (k * 4));
      }
      String id = String.format("%016x%016x", h, mix(h));
      return ImageRecords.toRow(id, "synthetic#" + i, null, new DecodedImage(1, 4, 4, px));
    }

    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      return z ^ (z >>> 31);
    }
  }
}
