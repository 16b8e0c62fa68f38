package io.pretext.jobs.train.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The driver merges one update per successful task attempt: a partition that succeeds twice (a map stage re-run after
 * an executor was lost, a speculative copy) must count once, while the fits within one attempt add up.
 */
class FitTimesTest {
  private static FitTimes attempt(int partition, long... nanos) {
    FitTimes t = new FitTimes();
    for (long n : nanos) {
      t.add(new long[] {partition, n});
    }
    return t;
  }

  @Test
  void aRetriedPartitionCountsOnceAndPartitionsAddUp() {
    FitTimes driver = new FitTimes();
    driver.merge(attempt(0, 10, 20));
    driver.merge(attempt(1, 5, 5));
    driver.merge(attempt(0, 11, 19)); // partition 0 again: the re-run replaces the first run
    assertEquals(4, driver.fits());
    assertEquals(11 + 19 + 5 + 5, driver.nanos());
    driver.reset();
    assertEquals(0, driver.fits());
  }

  @Test
  void copiesAreIndependent() {
    FitTimes a = attempt(3, 7);
    FitTimes b = (FitTimes) a.copy();
    b.add(new long[] {3, 1});
    assertEquals(1, a.fits());
    assertEquals(2, b.fits());
  }
}
