/**
 * Masked language modelling (BERT, Devlin et al. 2019): {@link io.pretext.model.method.maskedlm.MaskedLm} puts a
 * masked-LM head (transform, GELU, LayerNorm, vocabulary projection tied to the token embeddings) on a
 * {@link io.pretext.model.encoder.Bert} encoder and scores only the masked positions; it also answers fill-mask
 * queries and the held-out masked-token accuracy and perplexity. Masking itself (which positions, replaced by what) is
 * the data pipeline's recipe, handed over as {@link io.pretext.model.batch.TokenBatch}es.
 */
package io.pretext.model.method.maskedlm;
