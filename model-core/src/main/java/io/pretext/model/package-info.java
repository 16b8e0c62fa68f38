/**
 * Model building blocks for self-supervised pretraining on Deeplearning4j.
 *
 * <p>Shared value types live here: {@link io.pretext.model.InputShape} (image input, NCHW) and
 * {@link io.pretext.model.GraphSettings} (seed, data type, optimiser used when a method builds its graph).
 * Sub-packages hold one concern each: {@code encoder} (backbones), {@code head} (projection heads),
 * {@code loss} (pure loss functions), {@code method} (the SSL method plug-in point, implementations grouped by family)
 * and {@code optim} (optimiser and learning-rate schedule).
 */
package io.pretext.model;
