package io.pretext.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shape of one image example in NCHW layout: {@code [channels, height, width]}; a minibatch is
 * {@code [N, channels, height, width]}.
 *
 * <p>Fashion-MNIST is {@code (1, 28, 28)}, CIFAR-10 is {@code (3, 32, 32)}. Text has its own {@link TokenInput}.
 *
 * @param channels number of colour channels, at least 1
 * @param height   image height in pixels, at least 1
 * @param width    image width in pixels, at least 1
 */
public record InputShape(int channels, int height, int width) implements ModelInput {

  public InputShape {
    requirePositive("channels", channels, "use 1 for greyscale (e.g. Fashion-MNIST) or 3 for RGB");
    requirePositive("height", height, "use the image height in pixels, e.g. 28 or 32");
    requirePositive("width", width, "use the image width in pixels, e.g. 28 or 32");
  }

  /** The shape of one image of a batch {@code [N, C, H, W]}. */
  public static InputShape ofBatch(INDArray images) {
    if (images.rank() != 4) {
      throw new IllegalArgumentException("images must be [N, C, H, W], got " + Arrays.toString(images.shape()));
    }
    return new InputShape((int) images.size(1), (int) images.size(2), (int) images.size(3));
  }

  /** Greyscale image of the given size, {@code (1, height, width)}. */
  public static InputShape greyscale(int height, int width) {
    return new InputShape(1, height, width);
  }

  /** RGB image of the given size, {@code (3, height, width)}. */
  public static InputShape rgb(int height, int width) {
    return new InputShape(3, height, width);
  }

  @Override
  public DatasetKind kind() {
    return DatasetKind.IMAGE;
  }

  /** DL4J input type for this shape, NCHW. */
  public InputType toInputType() {
    return InputType.convolutional(height, width, channels, CNN2DFormat.NCHW);
  }

  /** Shape of a minibatch of {@code n} examples: {@code [n, channels, height, width]}. */
  public long[] batchShape(long n) {
    return new long[] {n, channels, height, width};
  }

  private static void requirePositive(String field, int value, String fix) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "InputShape." + field + " = " + value + " is invalid: must be >= 1; " + fix);
    }
  }
}
