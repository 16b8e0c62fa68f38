package io.pretext.jobs.eval;

import io.pretext.data.image.DecodedImage;
import java.io.Serializable;
import java.util.List;

/**
 * What turns images into feature vectors for evaluation and {@code embed}: a frozen network
 * ({@link NetworkEncoder}) or the raw pixels ({@link PixelEncoder}). Instances are serialised into
 * Spark closures, so they hold only small values and {@link org.apache.spark.broadcast.Broadcast}
 * handles; {@link #open()} runs once per partition in the executor and builds what is heavy.
 */
public interface FeatureEncoder extends Serializable {

  /** {@code trained}, {@code random} or {@code pixels}: how the features were made. */
  String kind();

  /** Feature width D. */
  int dimension();

  /** Channels, height and width every image must have. */
  int[] imageShape();

  /** A per-partition encoder; not thread-safe, used by one task. */
  Open open();

  /** An encoder ready in one executor task. */
  interface Open {
    /** Features of {@code images}, all of {@link #imageShape()}: {@code [B][D]}. */
    float[][] encode(List<DecodedImage> images);
  }
}
