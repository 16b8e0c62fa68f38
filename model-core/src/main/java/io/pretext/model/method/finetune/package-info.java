/** Supervised fine-tuning of a pretrained image encoder: {@link io.pretext.model.method.finetune.FineTune}. */
package io.pretext.model.method.finetune;
