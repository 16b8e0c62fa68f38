package io.pretext.model.batch;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One minibatch of augmented image views for an image method, with the identity of its records: what the data
 * pipeline (decoding and augmentation in the executors) hands to
 * {@link io.pretext.model.method.MultiViewMethod#trainingBatch}.
 *
 * @param views {@code [V*N, C, H, W]}, grouped by view: rows {@code v*N .. (v+1)*N - 1} hold view {@code v} of the
 *     {@code N} records in order
 * @param ids the records' ids, {@code [N]}, in row order
 * @param labels the records' labels {@code [N]} from the method state's record table (pseudo-labels), or null when the
 *     state names none
 * @param streams per record a 64-bit seed for the method's own randomness (a denoising autoencoder's corruption, a VAE's
 *     reparameterisation noise), a pure function of (run seed, epoch, record) made by the data pipeline next to the
 *     views' seeds; null when the maker of the batch gave none (tests)
 */
public record ImageBatch(INDArray views, String[] ids, int[] labels, long[] streams) {

  /** A batch without noise streams. */
  public ImageBatch(INDArray views, String[] ids, int[] labels) {
    this(views, ids, labels, null);
  }

  public ImageBatch {
    Objects.requireNonNull(views, "views");
    Objects.requireNonNull(ids, "ids");
    if (ids.length == 0 || views.rank() != 4 || views.size(0) % ids.length != 0) {
      throw new IllegalArgumentException("an image batch of " + ids.length + " records needs views [V*N, C, H, W] with N = "
          + ids.length + ", got " + Arrays.toString(views.shape()));
    }
    if (labels != null && labels.length != ids.length) {
      throw new IllegalArgumentException("an image batch of " + ids.length + " records has " + labels.length + " labels");
    }
    if (streams != null && streams.length != ids.length) {
      throw new IllegalArgumentException("an image batch of " + ids.length + " records has " + streams.length + " noise streams");
    }
  }

  /**
   * The per-record noise streams.
   *
   * @param method who needs them, for the message
   * @throws IllegalStateException if the batch has none
   */
  public long[] requireStreams(String method) {
    if (streams == null) {
      throw new IllegalStateException(method + " draws its noise from the batch's per-record streams, but this batch has none:"
          + " make it with ImageBatch(views, ids, labels, streams)");
    }
    return streams;
  }

  /** Views without ids (tests, benchmarks): records named {@code 0 .. N-1}, no labels. */
  public static ImageBatch of(INDArray views, int views0) {
    long n = views.size(0) / views0;
    String[] ids = new String[(int) n];
    for (int i = 0; i < n; i++) {
      ids[i] = Integer.toString(i);
    }
    return new ImageBatch(views, ids, null);
  }

  /**
   * The views, checked to hold {@code v} views of at least one record.
   *
   * @param method who needs them, for the message
   * @throws IllegalArgumentException if the batch holds another number of views per record
   */
  public INDArray requireViews(int v, String method) {
    if (viewsPerRecord() != v) {
      throw new IllegalArgumentException(method + " views shape " + Arrays.toString(views.shape()) + " for " + ids.length
          + " records is invalid: must be [" + v + "N, C, H, W], view 0 in rows 0..N-1, view 1 in N..2N-1, and so on");
    }
    return views;
  }

  /** Records {@code N}. */
  public int records() {
    return ids.length;
  }

  /** Views per record {@code V}. */
  public int viewsPerRecord() {
    return (int) (views.size(0) / ids.length);
  }

  /** Whether the batch carries labels. */
  public boolean labelled() {
    return labels != null;
  }

  /**
   * The labels.
   *
   * @param method who needs them, for the message
   * @throws IllegalStateException if there are none
   */
  public int[] requireLabels(String method) {
    if (labels == null) {
      throw new IllegalStateException(method + " trains on labelled batches, but this batch has no labels: its state named no"
          + " record table for the epoch");
    }
    return labels;
  }
}
