package io.pretext.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pretext.data.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Nearest neighbours on Spark against a brute-force loop in the test: same lists, any partitioning. */
class NearestNeighboursTest {

  static Dataset<Row> pool(SparkSession spark, List<Row> rows, int partitions) {
    return spark.createDataFrame(rows, Features.SCHEMA).repartition(partitions);
  }

  static Row row(String id, Integer label, float[] v) {
    return RowFactory.create(id, "src-" + id, label, v);
  }

  /** Cosine similarity in double precision, sorted by (similarity desc, id asc), query's own id left out. */
  static List<String> bruteForce(List<Row> rows, String selfId, float[] q, int k) {
    record Scored(String id, double s) {}
    List<Scored> all = new ArrayList<>();
    for (Row r : rows) {
      if (r.getString(0).equals(selfId)) {
        continue;
      }
      float[] x = (float[]) r.get(3);
      double dot = 0;
      double nq = 0;
      double nx = 0;
      for (int j = 0; j < q.length; j++) {
        dot += (double) q[j] * x[j];
        nq += (double) q[j] * q[j];
        nx += (double) x[j] * x[j];
      }
      all.add(new Scored(r.getString(0), dot / Math.sqrt(nq) / Math.sqrt(nx)));
    }
    all.sort(Comparator.comparingDouble(Scored::s).reversed().thenComparing(Scored::id));
    return all.subList(0, Math.min(k, all.size())).stream().map(Scored::id).toList();
  }

  @Test
  void matchesABruteForceSearchWithEmptyAndManyPartitions() {
    SparkSession spark = SharedSpark.get();
    Random r = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      float[] v = new float[6];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian();
      }
      rows.add(row(String.format("id%02d", i), i % 4, v));
    }
    List<NearestNeighbours.Query> queries = List.of(new NearestNeighbours.Query("id05", (float[]) rows.get(5).get(3)),
        new NearestNeighbours.Query(null, new float[] {1, 0, 0, 0, 0, 0}));
    for (int partitions : new int[] {1, 3, 64}) {
      List<List<NearestNeighbours.Neighbour>> found = NearestNeighbours.find(spark, pool(spark, rows, partitions), queries, 8);
      assertEquals(bruteForce(rows, "id05", queries.get(0).representation(), 8), found.get(0).stream().map(NearestNeighbours.Neighbour::id).toList(),
          "query 0, " + partitions + " partitions");
      assertEquals(bruteForce(rows, null, queries.get(1).representation(), 8), found.get(1).stream().map(NearestNeighbours.Neighbour::id).toList());
      NearestNeighbours.Neighbour best = found.get(0).get(0);
      assertEquals("src-" + best.id(), best.source());
      assertEquals(Integer.parseInt(best.id().substring(2)) % 4, best.label());
    }
  }

  @Test
  void tiesGoToTheLowerIdAndKMayExceedThePool() {
    SparkSession spark = SharedSpark.get();
    List<Row> rows = List.of(row("c", null, new float[] {2, 0}), row("a", null, new float[] {1, 0}), row("b", null, new float[] {0, 1}),
        row("q", null, new float[] {3, 0}));
    List<List<NearestNeighbours.Neighbour>> found = NearestNeighbours.find(spark, pool(spark, rows, 3),
        List.of(new NearestNeighbours.Query("q", new float[] {5, 0})), 10);
    assertEquals(List.of("a", "c", "b"), found.get(0).stream().map(NearestNeighbours.Neighbour::id).toList(), "itself left out");
    assertEquals(1.0, found.get(0).get(0).similarity(), 1e-6);
    assertEquals(0.0, found.get(0).get(2).similarity(), 1e-6);
    assertEquals(null, found.get(0).get(0).label());
    assertThrows(IllegalArgumentException.class, () -> NearestNeighbours.find(spark, pool(spark, rows, 1), List.of(), 0));
  }
}
