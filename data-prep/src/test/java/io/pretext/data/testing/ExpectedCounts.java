package io.pretext.data.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.data.dataset.DatasetManifest;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a test wrote into a corpus, tallied as it writes each record: so many valid records, so many exact duplicates of
 * them, so many broken ones of each quarantine reason. The manifest's counts are then checked one by one against this
 * tally, never against each other ({@code seen == accepted + duplicates + quarantined} holds in every manifest by
 * construction, so asserting it cannot fail).
 */
public final class ExpectedCounts {
  private long accepted;
  private long duplicates;
  private final SortedMap<String, Long> quarantined = new TreeMap<>();

  /** {@code n} valid records that are not copies of another one. */
  public ExpectedCounts accepted(long n) {
    accepted += n;
    return this;
  }

  /** {@code n} exact copies of records counted as accepted. */
  public ExpectedCounts duplicates(long n) {
    duplicates += n;
    return this;
  }

  /** {@code n} broken records that must be quarantined with {@code reason}. */
  public ExpectedCounts quarantined(String reason, long n) {
    quarantined.merge(reason, n, Long::sum);
    return this;
  }

  /** Every record written: the sum of the three kinds. */
  public long seen() {
    return accepted + duplicates + quarantined.values().stream().mapToLong(Long::longValue).sum();
  }

  public long accepted() {
    return accepted;
  }

  /** Asserts each of the manifest's counts against this tally. */
  public void assertMatches(DatasetManifest.Counts actual) {
    assertEquals(seen(), actual.seen(), "seen: every record written, " + this + "; the manifest says " + actual);
    assertEquals(accepted, actual.accepted(), "accepted: " + actual);
    assertEquals(duplicates, actual.duplicates(), "duplicates: " + actual);
    assertEquals(quarantined, new TreeMap<>(actual.quarantinedByReason()), "quarantined by reason: " + actual);
    assertEquals(quarantined.values().stream().mapToLong(Long::longValue).sum(), actual.quarantined(), "quarantined: " + actual);
  }

  @Override
  public String toString() {
    return "written: " + accepted + " valid, " + duplicates + " duplicates, broken " + quarantined;
  }
}
