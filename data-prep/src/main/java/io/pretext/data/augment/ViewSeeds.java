package io.pretext.data.augment;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic random streams for views: the stream for one view is a pure function of
 * (seed, epoch, recordKey, viewIndex), so a Spark task retried on another executor, or a record
 * processed in another partition, produces bit-identical views.
 *
 * <p>The four inputs are absorbed one at a time, each followed by the SplitMix64 finalizer
 * (Steele, Lea and Flood 2014, "Fast Splittable Pseudorandom Number Generators"; the variant 13 of
 * Stafford's mix), which has full avalanche, so neighbouring record keys or view indices give
 * unrelated streams.
 */
public final class ViewSeeds {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private ViewSeeds() {}

  /** The random stream for view {@code viewIndex} of record {@code recordKey} in {@code epoch}. */
  public static SplittableRandom rng(long seed, int epoch, long recordKey, int viewIndex) {
    return new SplittableRandom(mix(seed, epoch, recordKey, viewIndex));
  }

  /** The 64-bit seed behind {@link #rng}. */
  public static long mix(long seed, int epoch, long recordKey, int viewIndex) {
    return mix(recordStream(seed, epoch, recordKey), viewIndex);
  }

  /**
   * The first three absorption steps of {@link #mix}: computed once per record when many indices of the same record
   * are needed (dynamic masking draws one value per token position).
   */
  public static long recordStream(long seed, int epoch, long recordKey) {
    long h = mix64(seed + GOLDEN);
    h = mix64(h + GOLDEN * 2 + epoch);
    return mix64(h + GOLDEN * 3 + recordKey);
  }

  /** The last step of {@link #mix}: {@code mix(seed, epoch, recordKey, index) == mix(recordStream(seed, epoch, recordKey), index)}. */
  public static long mix(long recordStream, int index) {
    return mix64(recordStream + GOLDEN * 4 + index);
  }

  /** SplitMix64 finalizer (Stafford variant 13). */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A stable long for a string record id. If the id starts with at least 16 ASCII hex digits (a hex
   * content hash such as SHA-256), the first 16 are parsed as an unsigned 64-bit number; otherwise
   * the key is the 64-bit FNV-1a hash of the UTF-8 bytes passed through {@link #mix64}. Never uses
   * {@link String#hashCode()} (32 bits).
   *
   * @throws IllegalArgumentException if {@code id} is null or empty
   */
  public static long recordKey(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("record id = " + (id == null ? "null" : "\"\"")
          + " is not allowed; allowed: a non-empty string (usually a hex content hash)");
    }
    if (id.length() >= 16 && leadingHex16(id)) {
      return Long.parseUnsignedLong(id, 0, 16, 16);
    }
    long h = FNV_OFFSET;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= FNV_PRIME;
    }
    return mix64(h);
  }

  private static boolean leadingHex16(String id) {
    for (int i = 0; i < 16; i++) {
      char c = id.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }
}
