package io.pretext.model.method.deepcluster;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;

/**
 * DeepCluster's settings, each validated here with the option that sets it ({@link DeepClusterOptions}).
 *
 * @param clusters k of k-means, the classifier's classes, 2..100000 (default {@value #DEFAULT_CLUSTERS}: ten times
 *     Fashion-MNIST's classes; the paper finds over-segmentation helps, 10,000 clusters for ImageNet's 1,000 classes)
 * @param pcaDim components kept by the PCA before k-means, &gt;= 1 (default {@value #DEFAULT_PCA_DIM}; the paper reduces
 *     4,096 to 256)
 * @param kmeansIterations Lloyd iterations of k-means, &gt;= 1 (default {@value #DEFAULT_KMEANS_ITERATIONS})
 */
public record DeepClusterConfig(int clusters, int pcaDim, int kmeansIterations) implements Serializable {
  public static final int DEFAULT_CLUSTERS = 100;
  public static final int DEFAULT_PCA_DIM = 64;
  public static final int DEFAULT_KMEANS_ITERATIONS = 20;

  public DeepClusterConfig {
    require(clusters >= 2 && clusters <= 100_000, "--clusters", clusters, "an integer 2..100000");
    require(pcaDim >= 1 && pcaDim <= 65536, "--pca-dim", pcaDim, "an integer 1..65536 (at most the representation's width)");
    require(kmeansIterations >= 1 && kmeansIterations <= 1000, "--kmeans-iterations", kmeansIterations, "an integer 1..1000");
  }

  public static DeepClusterConfig defaults() {
    return new DeepClusterConfig(DEFAULT_CLUSTERS, DEFAULT_PCA_DIM, DEFAULT_KMEANS_ITERATIONS);
  }
}
