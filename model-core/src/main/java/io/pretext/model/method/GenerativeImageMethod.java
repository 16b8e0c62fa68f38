package io.pretext.model.method;

/**
 * An image method that learns by generating images (autoencoder, VAE, GAN): it trains on one clean view per record, the
 * image it reconstructs or tells from a generated one. The data recipe {@link Reconstructor} and {@link ImageSampler}
 * share, declared once.
 */
public interface GenerativeImageMethod extends MultiViewMethod {

  /** One view per record. */
  @Override
  default int views() {
    return 1;
  }

  /** {@link ViewDefaults#CLEAN}: the whole image, flipped half the time, no colour jitter. */
  @Override
  default ViewDefaults viewDefaults() {
    return ViewDefaults.CLEAN;
  }
}
