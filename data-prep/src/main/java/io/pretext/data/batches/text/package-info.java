/**
 * Minibatches of dynamically masked token sequences for every {@link io.pretext.model.method.MaskedTokenMethod}: the
 * factory, its masking options, and the batches themselves.
 */
package io.pretext.data.batches.text;
