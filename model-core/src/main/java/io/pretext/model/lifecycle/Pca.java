package io.pretext.model.lifecycle;

import java.io.Serializable;

/**
 * A principal-component projection fitted on the driver from distributed vectors ({@link Clustering#fitPca}):
 * {@code y = (x - mean) . components}, and whitened {@code y_j / std_j}.
 *
 * @param mean {@code [d]} the vectors' mean
 * @param components {@code [d][k]}, column {@code j} the {@code j}-th principal direction (unit length)
 * @param std {@code [k]} standard deviation of the vectors along each component (the square root of its eigenvalue)
 */
public record Pca(double[] mean, double[][] components, double[] std) implements Serializable {

  /** Components kept. */
  public int k() {
    return std.length;
  }
}
