package io.pretext.model.method;

import io.pretext.model.DatasetKind;

/**
 * A method's entry in the registry ({@link Methods}), found with {@link java.util.ServiceLoader}: a method package
 * registers its provider in {@code META-INF/services/io.pretext.model.method.MethodProvider}.
 */
public interface MethodProvider {

  /** Registry name, the value of {@code --method}, e.g. {@code simclr}. */
  String name();

  /** One line for {@code pretrain --help}: what the method is, with its paper. */
  String summary();

  /** The kind of dataset the method trains on: that of its modality ({@link #batchType()}). */
  default DatasetKind dataKind() {
    return MaskedTokenMethod.class.isAssignableFrom(batchType()) ? DatasetKind.TEXT : DatasetKind.IMAGE;
  }

  /**
   * The modality interface its methods implement ({@link MultiViewMethod}, {@link MaskedTokenMethod}), which tells
   * the data pipeline which batch factory and recipe options serve it.
   */
  Class<? extends SslMethod> batchType();

  /** A fresh options object holding the defaults, to be filled by the command line. */
  MethodOptions newOptions();

  /**
   * Whether this is the method {@code pretrain} and {@code demo} use for its {@link #dataKind()} when no
   * {@code --method} is given; exactly one registered method per kind says so ({@link Methods#defaultFor}).
   */
  default boolean isDefaultForKind() {
    return false;
  }

  /**
   * Whether {@code pretext pretrain} and {@code demo} train this method ({@code --method}); false for a method that
   * another command builds (fine-tuning), whose runs the registry still rebuilds.
   */
  default boolean pretrains() {
    return true;
  }
}
