package io.pretext.model.method.contrastive;

import io.pretext.model.head.ProjectionHead;
import java.util.List;
import java.util.Objects;

/**
 * SimCLR configuration.
 *
 * @param temperature NT-Xent temperature T, finite and &gt; 0 (default {@value #DEFAULT_TEMPERATURE})
 * @param head        projection head (default {@link #defaultHead()}: {@code repDim -> 128 ReLU -> 64})
 */
public record SimClrConfig(double temperature, ProjectionHead head) implements java.io.Serializable {

  /**
   * Default temperature, 0.2: the largest single gain of the PyTorch screen on Fashion-MNIST-sized images at batch
   * 128 (SimCLR studies 0.05 to 1; smaller values suit larger batches). The README's Results give the measurements.
   */
  public static final double DEFAULT_TEMPERATURE = 0.2;
  /** Default hidden width of the projection head. */
  public static final int DEFAULT_HIDDEN = 128;
  /** Default output width of the projection head. */
  public static final int DEFAULT_PROJECTION_DIM = 64;

  public SimClrConfig {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("SimClrConfig.temperature = " + temperature
          + " is invalid: must be finite and > 0; typical values are 0.1-1.0, default " + DEFAULT_TEMPERATURE);
    }
    Objects.requireNonNull(head, "SimClrConfig.head is null; use SimClrConfig.defaultHead()");
  }

  /** {@code repDim -> 128 ReLU -> 64}, no BatchNorm. */
  public static ProjectionHead defaultHead() {
    return new ProjectionHead(List.of(DEFAULT_HIDDEN), DEFAULT_PROJECTION_DIM, false);
  }

  /** Temperature {@value #DEFAULT_TEMPERATURE}, the default projection head. */
  public static SimClrConfig defaults() {
    return new SimClrConfig(DEFAULT_TEMPERATURE, defaultHead());
  }

  /** Copy with another temperature. */
  public SimClrConfig withTemperature(double newTemperature) {
    return new SimClrConfig(newTemperature, head);
  }
}
