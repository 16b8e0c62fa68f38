package io.pretext.data.batches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pretext.data.dataset.Checksums;
import io.pretext.data.testing.SharedSpark;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * {@link EpochRounds} lays an epoch out once and serves every round from its own partitions: round r holds positions
 * [r x R, (r + 1) x R) of the epoch order (R records per round), worker w the w-th slice of it, each record once per
 * epoch, whatever the input partitioning; a new epoch is a new order.
 */
class EpochRoundsTest {
  // 103 records, 2 workers x 3 records x 2 minibatches = 12 per round: 8 rounds, 96 records used, 7 left out.
  private static final RoundLayout LAYOUT = new RoundLayout(2, 3, 2);
  private static final int RECORDS = 103;

  private static JavaPairRDD<String, String> records(int partitions) {
    List<Tuple2<String, String>> list = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      // Ids are content hashes in real datasets: their leading 64 bits are what the epoch order mixes.
      String id = Checksums.sha256Hex(("record-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 32);
      list.add(new Tuple2<>(id, "record-" + i));
    }
    return JavaSparkContext.fromSparkContext(SharedSpark.get().sparkContext()).parallelizePairs(list, partitions);
  }

  private static List<List<List<String>>> epoch(EpochRounds<String> rounds, int epoch) {
    List<List<List<String>>> out = new ArrayList<>();
    for (int r = 0; r < rounds.roundsPerEpoch(); r++) {
      out.add(rounds.round(epoch, r).glom().collect());
    }
    return out;
  }

  @Test
  void roundsAreTheEpochOrderSlicedByRoundAndWorker() {
    EpochRounds<String> rounds = new EpochRounds<>(records(3), RECORDS, LAYOUT, 11);
    assertEquals(8, rounds.roundsPerEpoch());
    List<String> order = EpochOrder.positions(records(3), 11, 0, 3).sortByKey().values().collect();
    List<List<List<String>>> e0 = epoch(rounds, 0);
    Set<String> seen = new HashSet<>();
    for (int r = 0; r < 8; r++) {
      List<List<String>> workers = e0.get(r);
      assertEquals(2, workers.size(), "one partition per worker in round " + r);
      for (int w = 0; w < 2; w++) {
        assertEquals(order.subList(r * 12 + w * 6, r * 12 + w * 6 + 6), workers.get(w), "round " + r + " worker " + w);
        seen.addAll(workers.get(w));
      }
    }
    assertEquals(96, seen.size(), "every record at most once; the 7 past the last complete round wait for another epoch");
  }

  @Test
  void independentOfInputPartitioningAndNewEachEpoch() {
    List<List<List<String>>> a = epoch(new EpochRounds<>(records(1), RECORDS, LAYOUT, 11), 1);
    List<List<List<String>>> b = epoch(new EpochRounds<>(records(7), RECORDS, LAYOUT, 11), 1);
    assertEquals(a, b);
    EpochRounds<String> same = new EpochRounds<>(records(3), RECORDS, LAYOUT, 11);
    assertNotEquals(epoch(same, 0), epoch(same, 1));
    // Asking for a round of an earlier epoch again gives the same records (a resumed run, a retried round).
    assertEquals(a.get(5), same.round(1, 5).glom().collect());
  }

  @Test
  void roundOutsideTheEpochIsRefused() {
    EpochRounds<String> rounds = new EpochRounds<>(records(2), RECORDS, LAYOUT, 1);
    assertThrows(IllegalArgumentException.class, () -> rounds.round(0, 8));
  }
}
