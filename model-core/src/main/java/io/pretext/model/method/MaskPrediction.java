package io.pretext.model.method;

import java.util.Arrays;

/**
 * The model's most probable tokens at one {@code [MASK]} of a sequence, most probable first.
 *
 * @param sequence      row of the batch
 * @param position      position in the sequence (0-based, {@code [CLS]} included if present)
 * @param ids           token ids, {@code k} of them
 * @param probabilities their probabilities under the model's softmax, non-increasing
 */
public record MaskPrediction(int sequence, int position, int[] ids, double[] probabilities) {

  public MaskPrediction {
    ids = ids.clone();
    probabilities = probabilities.clone();
    if (ids.length != probabilities.length) {
      throw new IllegalArgumentException("MaskPrediction: " + ids.length + " ids but " + probabilities.length + " probabilities");
    }
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  @Override
  public double[] probabilities() {
    return probabilities.clone();
  }

  /** The most probable token. */
  public int top() {
    return ids[0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskPrediction p && p.sequence == sequence && p.position == position && Arrays.equals(p.ids, ids)
        && Arrays.equals(p.probabilities, probabilities);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * sequence + position) + Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return "MaskPrediction(" + sequence + ":" + position + " " + Arrays.toString(ids) + " " + Arrays.toString(probabilities) + ")";
  }
}
