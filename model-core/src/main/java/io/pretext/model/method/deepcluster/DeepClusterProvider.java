package io.pretext.model.method.deepcluster;

import io.pretext.model.method.MethodOptions;
import io.pretext.model.method.MethodProvider;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.SslMethod;

/** Registers {@link DeepCluster} as {@code --method deepcluster}. */
public final class DeepClusterProvider implements MethodProvider {

  @Override
  public String name() {
    return DeepCluster.NAME;
  }

  @Override
  public String summary() {
    return "DeepCluster (Caron et al. 2018): every epoch k-means clusters the corpus's representations, and the encoder learns"
        + " to predict the clusters.";
  }


  @Override
  public Class<? extends SslMethod> batchType() {
    return MultiViewMethod.class;
  }

  @Override
  public MethodOptions newOptions() {
    return new DeepClusterOptions();
  }
}
