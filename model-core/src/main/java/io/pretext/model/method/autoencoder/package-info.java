/**
 * Autoencoders (Hinton and Salakhutdinov 2006) and denoising autoencoders (Vincent et al. 2008):
 * {@link io.pretext.model.method.autoencoder.Autoencoder}, reconstructing the clean view from its (possibly
 * {@link io.pretext.model.method.autoencoder.Corruption corrupted}) input through a small code.
 */
package io.pretext.model.method.autoencoder;
