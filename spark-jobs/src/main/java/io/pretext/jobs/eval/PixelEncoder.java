package io.pretext.jobs.eval;

import io.pretext.data.image.DecodedImage;
import java.util.List;

/**
 * The raw-pixel baseline: an image's features are its pixels {@code v / 255} as floats, flattened in
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
        byte[] px = images.get(i).pixels();
        float[] f = new float[px.length];
        for (int j = 0; j < px.length; j++) {
          f[j] = (px[j] & 0xFF) / 255f;
        }
        out[i] = f;
      }
      return out;
    };
  }
}
