package io.pretext.model.lifecycle;

/**
 * A handle to one cluster id per record ({@link Clustering#assign}), held where the records are, with the cluster
 * sizes on the driver.
 */
public interface Assignment {

  /** Records per cluster, {@code [k]}; empty clusters have 0. */
  long[] sizes();

  /** The centroids the records were assigned to; null for an assignment read back from a table. */
  Centroids centroids();

  /** Clusters with no record. */
  default int empty() {
    int n = 0;
    for (long s : sizes()) {
      n += s == 0 ? 1 : 0;
    }
    return n;
  }

  /** Frees the cached assignment. */
  void release();
}
