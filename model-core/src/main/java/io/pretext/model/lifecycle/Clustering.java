package io.pretext.model.lifecycle;

/**
 * The PCA and clustering tools a method may use between epochs ({@link MethodContext#clustering()}), on vectors that
 * stay distributed. spark-jobs implements them with Spark MLlib ({@code PCA}, {@code KMeans}); every result is a
 * deterministic function of its inputs and seed.
 */
public interface Clustering {

  /**
   * Principal components of {@code x}.
   *
   * @param dims components to keep, {@code 1..x.dimension()}
   */
  Pca fitPca(Vectors x, int dims);

  /**
   * {@code x} projected on {@code pca}'s components; with {@code whiten} each component divided by its standard
   * deviation; with {@code normalize} each row scaled to unit L2 norm (after whitening). Cached until released.
   */
  Vectors project(Vectors x, Pca pca, boolean whiten, boolean normalize);

  /**
   * Centroids of k-means on {@code x} (k-means|| initialisation, Lloyd iterations), seeded.
   *
   * @param k clusters, at most {@code x.count()}
   */
  Centroids kMeans(Vectors x, int k, int maxIterations, long seed);

  /** Every record of {@code x} assigned to its nearest centroid (squared Euclidean distance; ties to the lower id). */
  Assignment assign(Vectors x, Centroids centroids);

  /**
   * Normalised mutual information {@code I(a; b) / sqrt(H(a) H(b))} between two assignments of the same records,
   * joined by record id; 1 when one assignment is a relabelling of the other, 0 when independent (and when either is a
   * single cluster).
   */
  double nmi(Assignment a, Assignment b);

  /**
   * Normalised mutual information between {@code a} and the labels of the vectors it was assigned from.
   *
   * @throws IllegalArgumentException if those vectors carry no labels
   */
  double nmiWithLabels(Assignment a);
}
