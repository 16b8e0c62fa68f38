package io.pretext.data.dataset;

import java.nio.charset.StandardCharsets;
import org.apache.spark.Partitioner;

/**
 * Assigns a record to a shard from its content id and the seed alone, so the same input always
 * produces the same shards, whatever the input order or the number of Spark partitions.
 */
public final class ShardPartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;

  private final int shards;
  private final long seed;

  public ShardPartitioner(int shards, long seed) {
    this.shards = shards;
    this.seed = seed;
  }

  /** Shard of record {@code id}: a 64-bit mix of the id's leading hex digits and the seed, modulo shards. */
  public static int shardOf(String id, long seed, int shards) {
    long h = seed;
    byte[] b = id.getBytes(StandardCharsets.US_ASCII);
    for (byte x : b) {
      h = mix(h ^ x);
    }
    return (int) Long.remainderUnsigned(mix(h), shards);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public int numPartitions() {
    return shards;
  }

  @Override
  public int getPartition(Object key) {
    return shardOf((String) key, seed, shards);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardPartitioner p && p.shards == shards && p.seed == seed;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seed) * 31 + shards;
  }
}
