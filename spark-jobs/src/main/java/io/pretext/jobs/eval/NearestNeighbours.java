package io.pretext.jobs.eval;

import io.pretext.data.dataset.ImageRecords;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code k} nearest neighbours of a few query vectors among the rows of a feature table ({@link Features#SCHEMA}),
 * by cosine similarity (both sides L2-normalised as in {@link KnnClassifier}), computed on Spark: the queries are
 * broadcast, every partition keeps its own best {@code k} per query in a bounded heap, and the driver merges the
 * partitions' lists. The pool is never collected, so it may be as large as the cluster allows; the driver holds
 * {@code partitions x queries x k} candidates.
 *
 * <p>Order, exactly: higher similarity first, then the lower record id, so the result does not depend on how the
 * pool is partitioned. A row whose id is the query's own ({@link Query#id}) is never its neighbour.
 */
public final class NearestNeighbours {
  private NearestNeighbours() {}

  /**
   * A query.
   *
   * @param id record id excluded from its own neighbours (the query image itself when it is in the pool), or null
   * @param representation its feature vector {@code [D]}
   */
  public record Query(String id, float[] representation) {}

  /**
   * One neighbour: the pool row and its cosine similarity to the query, in [-1, 1]. A class rather than a record
   * because it travels back from the executors through Kryo, whose field serializer cannot build records.
   */
  public static final class Neighbour implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final String source;
    private final Integer label;
    private final double similarity;

    public Neighbour(String id, String source, Integer label, double similarity) {
      this.id = id;
      this.source = source;
      this.label = label;
      this.similarity = similarity;
    }

    public String id() {
      return id;
    }

    public String source() {
      return source;
    }

    /** The row's label, or null. */
    public Integer label() {
      return label;
    }

    public double similarity() {
      return similarity;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Neighbour n && n.id.equals(id) && java.util.Objects.equals(n.source, source)
          && java.util.Objects.equals(n.label, label) && Double.compare(n.similarity, similarity) == 0;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(id, source, label, similarity);
    }

    @Override
    public String toString() {
      return "Neighbour[" + id + ", " + source + ", " + label + ", " + similarity + "]";
    }
  }

  /** Best first: higher similarity, then lower id. */
  static final Comparator<Neighbour> BEST_FIRST =
      Comparator.comparingDouble(Neighbour::similarity).reversed().thenComparing(Neighbour::id);

  /**
   * @param pool rows with {@link Features#SCHEMA}
   * @param queries the queries, each of the pool's dimension
   * @param k neighbours per query, &gt;= 1
   * @return per query (in order), its at most {@code k} neighbours, best first
   */
  public static List<List<Neighbour>> find(SparkSession spark, Dataset<Row> pool, List<Query> queries, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    // Plain arrays travel through Kryo; records do not.
    String[] ids = new String[queries.size()];
    float[][] unit = new float[queries.size()][];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = queries.get(i).id();
      unit[i] = KnnClassifier.unit(queries.get(i).representation());
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<String[]> sharedIds = sc.broadcast(ids);
    Broadcast<float[][]> shared = sc.broadcast(unit);
    List<List<Neighbour>> merged = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      merged.add(new ArrayList<>());
    }
    try {
      List<List<List<Neighbour>>> partials = pool.javaRDD().mapPartitions(new PartitionBest(sharedIds, shared, k)).collect();
      for (List<List<Neighbour>> partial : partials) {
        for (int i = 0; i < queries.size(); i++) {
          merged.get(i).addAll(partial.get(i));
        }
      }
    } finally {
      sharedIds.unpersist(false);
      shared.unpersist(false);
    }
    List<List<Neighbour>> out = new ArrayList<>();
    for (List<Neighbour> m : merged) {
      m.sort(BEST_FIRST);
      out.add(List.copyOf(m.subList(0, Math.min(k, m.size()))));
    }
    return out;
  }

  /** One partition's best {@code k} per query; an empty partition contributes empty lists. */
  static final class PartitionBest implements FlatMapFunction<Iterator<Row>, List<List<Neighbour>>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<String[]> ids;
    private final Broadcast<float[][]> queries;
    private final int k;

    PartitionBest(Broadcast<String[]> ids, Broadcast<float[][]> queries, int k) {
      this.ids = ids;
      this.queries = queries;
      this.k = k;
    }

    @Override
    public Iterator<List<List<Neighbour>>> call(Iterator<Row> rows) {
      String[] qIds = ids.value();
      float[][] qs = queries.value();
      List<PriorityQueue<Neighbour>> heaps = new ArrayList<>();
      for (int i = 0; i < qs.length; i++) {
        heaps.add(new PriorityQueue<>(BEST_FIRST.reversed())); // worst of the kept at the head
      }
      while (rows.hasNext()) {
        Row r = rows.next();
        String id = ImageRecords.id(r);
        float[] x = KnnClassifier.unit(Features.floats(r, 3));
        for (int i = 0; i < qs.length; i++) {
          if (id.equals(qIds[i])) {
            continue;
          }
          float[] v = qs[i];
          if (v.length != x.length) {
            throw new IllegalArgumentException("query " + i + " has " + v.length + " values, the pool's rows " + x.length);
          }
          double s = 0;
          for (int j = 0; j < v.length; j++) {
            s += (double) v[j] * x[j];
          }
          Neighbour n = new Neighbour(id, r.getString(1), ImageRecords.label(r), s);
          PriorityQueue<Neighbour> heap = heaps.get(i);
          if (heap.size() < k) {
            heap.add(n);
          } else if (BEST_FIRST.compare(n, heap.peek()) < 0) {
            heap.poll();
            heap.add(n);
          }
        }
      }
      List<List<Neighbour>> out = new ArrayList<>();
      for (PriorityQueue<Neighbour> heap : heaps) {
        out.add(new ArrayList<>(heap));
      }
      return List.of(out).iterator();
    }
  }
}
