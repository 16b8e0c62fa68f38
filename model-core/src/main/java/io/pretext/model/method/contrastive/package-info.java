/**
 * Contrastive methods: an encoder and a projection head trained so that two views of one record are close and views
 * of different records are far apart. {@link io.pretext.model.method.contrastive.SimClr} (Chen et al. 2020) is here;
 * MoCo v2 will follow.
 */
package io.pretext.model.method.contrastive;
