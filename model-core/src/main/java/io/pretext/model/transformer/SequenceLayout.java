package io.pretext.model.transformer;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the real tokens of a padded minibatch are, read from its DL4J feature mask {@code [N, T]} (1 = real token,
 * 0 = padding; a {@code null} mask means every position is real). Transformer layers use it to run their
 * position-wise work (projections, feed-forward, LayerNorm) on the {@code R} real rows only, packed into {@code [R, H]},
 * and to mask padded keys in attention, so neither compute nor results depend on how much padding follows a sequence.
 *
 * <p>Positions are flat indices {@code n * T + t} into the padded {@code [N * T, H]} rows. {@link #realRows} lists the
 * real ones in order (gather padded to packed); {@link #packedIndex} maps every padded position to its packed row, and
 * padding to {@code R}, the index of an extra all-zero row appended to the packed rows (gather packed to padded).
 */
final class SequenceLayout {
  final int n;
  final int t;
  final int real;
  final int[] realRows;
  final int[] packedIndex;
  final int[] lengths;

  private SequenceLayout(int n, int t, int[] realRows, int[] packedIndex, int[] lengths) {
    this.n = n;
    this.t = t;
    this.real = realRows.length;
    this.realRows = realRows;
    this.packedIndex = packedIndex;
    this.lengths = lengths;
  }

  /**
   * The layout of a minibatch of {@code n} sequences of padded length {@code t}.
   *
   * @param mask {@code [n, t]} feature mask, or null when nothing is padded
   * @throws IllegalArgumentException if the mask has another shape or a sequence has no real token
   */
  static SequenceLayout of(INDArray mask, long n, long t) {
    int ni = Math.toIntExact(n);
    int ti = Math.toIntExact(t);
    float[] m;
    if (mask == null) {
      m = new float[ni * ti];
      Arrays.fill(m, 1f);
    } else {
      if (mask.rank() != 2 || mask.size(0) != n || mask.size(1) != t) {
        throw new IllegalArgumentException("feature mask shape " + Arrays.toString(mask.shape())
            + " does not match the token minibatch: expected [" + n + ", " + t + "] (1 = real token, 0 = padding)");
      }
      m = mask.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
    int[] lengths = new int[ni];
    int real = 0;
    for (int i = 0; i < m.length; i++) {
      if (m[i] != 0f) {
        lengths[i / ti]++;
        real++;
      }
    }
    for (int s = 0; s < ni; s++) {
      if (lengths[s] == 0) {
        throw new IllegalArgumentException("sequence " + s + " of the minibatch has no real token (its mask row is all 0); "
            + "every sequence needs at least one");
      }
    }
    int[] realRows = new int[real];
    int[] packed = new int[m.length];
    int r = 0;
    for (int i = 0; i < m.length; i++) {
      if (m[i] != 0f) {
        realRows[r] = i;
        packed[i] = r++;
      } else {
        packed[i] = real;
      }
    }
    return new SequenceLayout(ni, ti, realRows, packed, lengths);
  }

  /** Whether every position is real (no padding anywhere): packing is then the identity. */
  boolean dense() {
    return real == n * t;
  }

  /** 1 at real positions, 0 at padding, as a {@code [N, T]} array of {@code like}'s type. */
  INDArray maskLike(INDArray like) {
    float[] m = new float[n * t];
    for (int i : realRows) {
      m[i] = 1f;
    }
    return Nd4j.create(m, new long[] {n, t}, 'c').castTo(like.dataType());
  }
}
