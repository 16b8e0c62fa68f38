/**
 * MoCo v2 (He et al. 2020; Chen et al. 2020): {@link io.pretext.model.method.moco.Moco} and its parts, the symmetric
 * InfoNCE logits against a queue ({@link io.pretext.model.method.moco.InfoNceLogits}), the queue as the method's
 * driver state ({@link io.pretext.model.method.moco.KeyQueue}) and its worker steps (momentum update, enqueue).
 */
package io.pretext.model.method.moco;
