package io.pretext.model.transformer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One parameter of a Transformer layer: its name in the layer's parameter table, its shape ({@code c} order) and its
 * role, which decides its initialisation and whether weight decay applies.
 *
 * @param name  key in the layer's parameter table, e.g. {@code "Wqkv"}; no underscore (DL4J cuts gradient keys
 *              {@code layerName_paramName} at the last one)
 * @param shape dimensions, each &gt;= 1
 * @param role  {@link Role#WEIGHT}, {@link Role#BIAS} or {@link Role#GAIN}
 */
public record ParamSpec(String name, long[] shape, Role role) {

  /**
   * What a parameter is, as BERT treats it (Devlin et al. 2019; Google's {@code optimization.py} excludes
   * {@code LayerNorm} and {@code bias} from weight decay).
   */
  public enum Role {
    /** Matrices (dense kernels, embeddings): truncated normal, weight decay applies (a DL4J weight parameter). */
    WEIGHT,
    /** Additive offsets (dense biases, LayerNorm beta): zeros, no weight decay (a DL4J bias parameter). */
    BIAS,
    /** Multiplicative LayerNorm gains: ones, no weight decay (neither a DL4J weight nor a bias parameter). */
    GAIN
  }

  public ParamSpec {
    Objects.requireNonNull(name, "ParamSpec.name is null");
    Objects.requireNonNull(role, "ParamSpec.role is null");
    if (name.isEmpty() || name.indexOf('_') >= 0) {
      // DL4J's updater finds a gradient's layer by cutting "layerName_paramName" at the last underscore.
      throw new IllegalArgumentException("ParamSpec name '" + name + "' is invalid: non-empty, without '_'");
    }
    shape = shape.clone();
    for (long d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException("ParamSpec " + name + " shape " + Arrays.toString(shape) + " is invalid: every dimension must be >= 1");
      }
    }
  }

  /** A weight matrix {@code [rows, cols]}. */
  public static ParamSpec weight(String name, long rows, long cols) {
    return new ParamSpec(name, new long[] {rows, cols}, Role.WEIGHT);
  }

  /** A bias vector {@code [1, size]}. */
  public static ParamSpec bias(String name, long size) {
    return new ParamSpec(name, new long[] {1, size}, Role.BIAS);
  }

  /** A LayerNorm gain vector {@code [1, size]}. */
  public static ParamSpec gain(String name, long size) {
    return new ParamSpec(name, new long[] {1, size}, Role.GAIN);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of values. */
  public long length() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape) && p.role == role;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), role);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + " " + role;
  }
}
