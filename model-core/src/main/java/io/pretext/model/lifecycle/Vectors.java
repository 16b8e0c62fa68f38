package io.pretext.model.lifecycle;

/**
 * A handle to one vector per record ({@code id}, an optional {@code label}, {@code float[dimension]}), held where the
 * records are (on a cluster, in the executors; cached until {@link #release}); only aggregates reach the driver.
 * Made by {@link MethodContext#embed} and the {@link Clustering} tools.
 */
public interface Vectors {

  /** Records. */
  long count();

  /** Floats per vector. */
  int dimension();

  /** Whether the records carry labels (a labelled {@code --monitor} dataset). */
  boolean labelled();

  /** Frees the cached vectors; the handle is unusable afterwards. */
  void release();
}
