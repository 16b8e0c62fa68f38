/**
 * DL4J layers of Pretext's own, for what DL4J 1.0.0-M2.1 does slowly on the CPU:
 * {@link io.pretext.model.layers.FusedBatchNorm} (configuration) and {@link io.pretext.model.layers.FusedBatchNormLayer}
 * (implementation), batch norm with an optional fused ReLU. Each is a drop-in for DL4J's layer with the same
 * parameters and results; the tests compare them with DL4J's built-in layers. See {@code docs/performance.md}.
 */
package io.pretext.model.layers;
