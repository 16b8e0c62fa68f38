/**
 * Projection heads: small networks between the encoder's representation and the loss, used during pretraining only
 * and discarded afterwards (SimCLR, Chen et al. 2020, Sec. 2.1 and 4.2).
 */
package io.pretext.model.head;
