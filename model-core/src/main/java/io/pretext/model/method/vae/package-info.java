/**
 * The variational autoencoder (Kingma and Welling 2014): {@link io.pretext.model.method.vae.Vae}, its reparameterised
 * sample ({@link io.pretext.model.method.vae.GaussianSample}), its KL term
 * ({@link io.pretext.model.method.vae.GaussianKl}) and the KL warm-up on the workers.
 */
package io.pretext.model.method.vae;
