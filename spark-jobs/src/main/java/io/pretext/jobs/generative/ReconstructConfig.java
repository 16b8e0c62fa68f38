package io.pretext.jobs.generative;

import static io.pretext.model.config.OptionCheck.require;

/**
 * What {@code pretext reconstruct} does, validated.
 *
 * @param model a generative run (or one of its checkpoints)
 * @param data a prepared image dataset, the images reconstructed; null for a run that only generates (a GAN)
 * @param output the PNG to write (any Hadoop URI)
 * @param count images in the grid, 1..{@value #MAX_COUNT}
 * @param samples images generated below them (a VAE's prior, a GAN's generator), 0..{@value #MAX_COUNT}
 * @param interpolate images per interpolation row (0 for none, else 2..{@value #MAX_STEPS}): codes along the line between
 *     two inputs' codes, decoded; for a method that reconstructs
 * @param scoreImages images the scores are computed on (the first of the dataset's fixed order), 1..{@value #MAX_SCORE}
 * @param pcaTrain a prepared image dataset to fit the PCA baseline on, or null for none
 * @param seed the noise of the VAE's ELBO and of its samples
 */
public record ReconstructConfig(String model, String data, String output, int count, int samples, int interpolate, int scoreImages,
    String pcaTrain, long seed) {
  public static final int MAX_STEPS = 16;
  public static final int MAX_COUNT = 1024;
  public static final int MAX_SCORE = 100_000;

  public ReconstructConfig {
    require(model != null && !model.isBlank(), "--model", model, "a run or checkpoint directory of a generative run");
    require(data == null || !data.isBlank(), "--data", data, "a prepared image dataset");
    require(output != null && output.endsWith(".png"), "--output", output, "a path ending in .png");
    require(count >= 1 && count <= MAX_COUNT, "--count", count, "an integer 1.." + MAX_COUNT);
    require(samples >= 0 && samples <= MAX_COUNT, "--samples", samples, "an integer 0.." + MAX_COUNT);
    require(interpolate == 0 || (interpolate >= 2 && interpolate <= MAX_STEPS), "--interpolate", interpolate,
        "0, or an integer 2.." + MAX_STEPS);
    require(scoreImages >= 1 && scoreImages <= MAX_SCORE, "--score-images", scoreImages, "an integer 1.." + MAX_SCORE);
  }
}
