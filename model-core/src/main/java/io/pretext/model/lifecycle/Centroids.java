package io.pretext.model.lifecycle;

import java.io.Serializable;

/**
 * Cluster centres on the driver: {@code k x d}, small (DeepCluster's 100 x 64).
 *
 * @param centers {@code [k][d]}
 */
public record Centroids(double[][] centers) implements Serializable {

  public Centroids {
    if (centers.length == 0) {
      throw new IllegalArgumentException("no centroids");
    }
    int d = centers[0].length;
    double[][] copy = new double[centers.length][];
    for (int i = 0; i < centers.length; i++) {
      if (centers[i].length != d) {
        throw new IllegalArgumentException("centroid " + i + " has " + centers[i].length + " coordinates, centroid 0 has " + d);
      }
      copy[i] = centers[i].clone();
    }
    centers = copy;
  }

  /** Clusters. */
  public int k() {
    return centers.length;
  }

  /** Coordinates per centroid. */
  public int dimension() {
    return centers[0].length;
  }

  /** A copy of centroid {@code i}. */
  public double[] center(int i) {
    return centers[i].clone();
  }

  /** These centroids with centroid {@code i} replaced. */
  public Centroids with(int i, double[] center) {
    double[][] c = centers.clone();
    c[i] = center.clone();
    return new Centroids(c);
  }
}
