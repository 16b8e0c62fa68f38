/**
 * View generation (data augmentation) for joint-embedding self-supervised pretraining, on plain
 * {@code float[]} images with no ND4J dependency.
 *
 * <p>Implements the SimCLR augmentation recipe of Chen et al. 2020, "A Simple Framework for
 * Contrastive Learning of Visual Representations" (ICML 2020, arXiv:2002.05709), Appendix A:
 * random resized crop with bilinear resize, horizontal flip, colour jitter applied with
 * probability 0.8, random grayscale, Gaussian blur and (for BYOL-style recipes, Grill et al. 2020)
 * solarization, with one recipe per view (BYOL's views differ; each method declares its own,
 * {@link io.pretext.model.method.MultiViewMethod#viewDefaults()}).
 *
 * <p>What lives here:
 * <ul>
 *   <li>{@link io.pretext.data.augment.FloatImage} — the CHW image value type, pixels in [0,1];</li>
 *   <li>{@link io.pretext.data.augment.ViewTransform} and its implementations, one per file
 *       ({@link io.pretext.data.augment.RandomResizedCrop},
 *       {@link io.pretext.data.augment.HorizontalFlip}, {@link io.pretext.data.augment.ColorJitter},
 *       {@link io.pretext.data.augment.RandomGrayscale}, {@link io.pretext.data.augment.GaussianBlur},
 *       {@link io.pretext.data.augment.Solarize}), composed by
 *       {@link io.pretext.data.augment.Compose} and {@link io.pretext.data.augment.RandomApply};</li>
 *   <li>{@link io.pretext.data.augment.ViewRecipe} (validated, immutable);</li>
 *   <li>{@link io.pretext.data.augment.ViewSeeds} — views are a pure function of
 *       (seed, epoch, record, view index), so retried Spark tasks reproduce them exactly;</li>
 *   <li>{@link io.pretext.data.augment.ViewGenerator} (per-record views) and
 *       {@link io.pretext.data.augment.ViewBatch} (the [V*N, C, H, W] minibatch layout grouped by
 *       view that the contrastive loss expects);</li>
 * </ul>
 *
 * <p>Performance: steps after the crop overwrite the image they receive when {@link
 * io.pretext.data.augment.Compose} owns it (package-private {@code InPlaceTransform}), and the
 * pixel loops are written so that HotSpot 17's auto-vectorizer accepts them (every array in a loop
 * indexed by the bare loop variable, no conditionals: per-channel and per-row arrays, branch-free
 * hue rotation). Java float arithmetic is IEEE without contraction, so vectorized and scalar code
 * give identical bits.
 *
 * <p>Determinism: every transform draws its randomness only from the {@link java.util.SplittableRandom}
 * it is given, and transcendental functions on the sampling path use {@link java.lang.StrictMath},
 * so results are bit-identical across JVMs and CPUs.
 */
package io.pretext.data.augment;
