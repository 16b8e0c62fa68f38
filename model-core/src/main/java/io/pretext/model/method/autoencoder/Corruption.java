package io.pretext.model.method.autoencoder;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The input corruption of a denoising autoencoder (Vincent et al. 2008, 2010): the network sees the corrupted view and
 * is trained to output the clean one. Each record's corruption is drawn from its own stream (the batch's per-record
 * noise seed, a pure function of run seed, epoch and record), so the same run corrupts the same record the same way.
 *
 * @param kind {@code none}, {@code gaussian} (add {@code N(0, level^2)} to every pixel, then clip to [0, 1]) or
 *     {@code mask} (set each pixel to 0 with probability {@code level}: Vincent et al.'s masking noise)
 * @param level the noise's standard deviation, or the masked fraction, in (0, 1] (ignored for {@code none})
 */
public record Corruption(Kind kind, double level) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What is done to the input. */
  public enum Kind {
    NONE, GAUSSIAN, MASK;

    /**
     * The kind an option value names.
     *
     * @throws IllegalArgumentException naming the option and the allowed values
     */
    public static Kind parse(String value) {
      for (Kind k : values()) {
        if (k.option().equals(value)) {
          return k;
        }
      }
      require(false, "--denoise", value, "none, gaussian or mask");
      return NONE;
    }

    /** The option value, {@code gaussian}. */
    public String option() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** No corruption: a plain autoencoder. */
  public static final Corruption NONE = new Corruption(Kind.NONE, 0);

  public Corruption {
    require(kind != null, "--denoise", kind, "none, gaussian or mask");
    require(kind == Kind.NONE || level > 0 && level <= 1, "--noise", level, "a number in (0, 1]");
  }

  /** Whether the input differs from the target. */
  public boolean active() {
    return kind != Kind.NONE;
  }

  /**
   * The corrupted copy of {@code images} ({@code [N, ...]}, one record per row), row {@code i} drawn from
   * {@code streams[i]}; {@code images} unchanged.
   */
  public INDArray apply(INDArray images, long[] streams) {
    if (!active()) {
      return images;
    }
    long n = images.size(0);
    if (streams.length != n) {
      throw new IllegalArgumentException("corruption: " + n + " images but " + streams.length + " noise streams");
    }
    float[] x = images.dup('c').data().asFloat();
    int per = (int) (x.length / n);
    for (int i = 0; i < n; i++) {
      SplittableRandom rng = new SplittableRandom(streams[i]);
      for (int j = i * per; j < (i + 1) * per; j++) {
        if (kind == Kind.GAUSSIAN) {
          x[j] = (float) Math.min(1.0, Math.max(0.0, x[j] + level * rng.nextGaussian()));
        } else if (rng.nextDouble() < level) {
          x[j] = 0f;
        }
      }
    }
    return Nd4j.create(x, images.shape(), 'c').castTo(images.dataType());
  }

  @Override
  public String toString() {
    return kind == Kind.NONE ? "none" : kind.option() + " " + level;
  }
}
