/**
 * Self-distillation methods: an online network learns to predict the output of a target network that is a moving
 * average of itself, without negative pairs. {@link io.pretext.model.method.distillation.Byol} (Grill et al. 2020)
 * is here; its target lives in the training graph as frozen vertices ({@link
 * io.pretext.model.momentum.MomentumEncoder}).
 */
package io.pretext.model.method.distillation;
