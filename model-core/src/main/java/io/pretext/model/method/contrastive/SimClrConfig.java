package io.pretext.model.method.contrastive;

import io.pretext.model.head.ProjectionHead;
import io.pretext.model.loss.NtXentLoss;
import java.util.Objects;

/**
 * SimCLR configuration.
 *
 * @param temperature NT-Xent temperature T, finite and &gt; 0 (default {@value NtXentLoss#DEFAULT_TEMPERATURE})
 * @param head        projection head (default {@link ProjectionHead#defaults()}: {@code repDim -> 128 ReLU -> 64})
 */
public record SimClrConfig(double temperature, ProjectionHead head) implements java.io.Serializable {

  public SimClrConfig {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("SimClrConfig.temperature = " + temperature
          + " is invalid: must be finite and > 0; typical values are 0.1-1.0, default "
          + NtXentLoss.DEFAULT_TEMPERATURE);
    }
    Objects.requireNonNull(head, "SimClrConfig.head is null; use ProjectionHead.defaults()");
  }

  /** Temperature 0.5, default projection head. */
  public static SimClrConfig defaults() {
    return new SimClrConfig(NtXentLoss.DEFAULT_TEMPERATURE, ProjectionHead.defaults());
  }

  /** Copy with another temperature. */
  public SimClrConfig withTemperature(double newTemperature) {
    return new SimClrConfig(newTemperature, head);
  }
}
