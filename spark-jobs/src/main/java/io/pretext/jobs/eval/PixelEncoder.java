package io.pretext.jobs.eval;

import io.pretext.data.image.Pixels;

/**
 * The raw-pixel baseline: an image's features are its pixels as network input ({@link Pixels}), flattened in
 * CHW order ({@code D = C * H * W}), the same values the network sees in training.
 */
public record PixelEncoder(int channels, int height, int width) implements FeatureEncoder {
  public static final String KIND = "pixels";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int dimension() {
    return channels * height * width;
  }

  @Override
  public int[] imageShape() {
    return new int[] {channels, height, width};
  }

  @Override
  public Open open() {
    return images -> {
      float[][] out = new float[images.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = Pixels.toInput(images.get(i).pixels());
      }
      return out;
    };
  }
}
