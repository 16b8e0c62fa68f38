/**
 * A DCGAN-style GAN (Radford et al. 2016) whose discriminator is the encoder: {@link io.pretext.model.method.gan.Gan},
 * the generator as the run's second network ({@link io.pretext.model.method.gan.GeneratorGraph}, kept by the driver as
 * averaged method state), the alternating steps on the workers, and the loss on logits
 * ({@link io.pretext.model.method.gan.LogitBce}).
 */
package io.pretext.model.method.gan;
