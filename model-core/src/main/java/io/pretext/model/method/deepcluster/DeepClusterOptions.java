package io.pretext.model.method.deepcluster;

import io.pretext.model.method.MethodOptions;
import picocli.CommandLine.Option;

/** The options of {@code --method deepcluster}. */
public final class DeepClusterOptions extends MethodOptions {

  @Option(names = "--clusters", defaultValue = "" + DeepClusterConfig.DEFAULT_CLUSTERS,
      description = "Clusters of k-means, the pseudo-labels' classes; at most the records (default: ${DEFAULT-VALUE}).")
  int clusters;

  @Option(names = "--pca-dim", defaultValue = "" + DeepClusterConfig.DEFAULT_PCA_DIM,
      description = "Principal components kept before k-means, at most the representation's width (default: ${DEFAULT-VALUE}).")
  int pcaDim;

  @Option(names = "--kmeans-iterations", defaultValue = "" + DeepClusterConfig.DEFAULT_KMEANS_ITERATIONS,
      description = "Lloyd iterations of k-means per epoch (default: ${DEFAULT-VALUE}).")
  int kmeansIterations;

  @Override
  public DeepCluster toMethod() {
    return new DeepCluster(new DeepClusterConfig(clusters, pcaDim, kmeansIterations));
  }
}
