package io.pretext.data.batches;

import io.pretext.model.method.SslMethod;

/**
 * Makes the training minibatches of every method that implements one modality interface ({@code MultiViewMethod}:
 * augmented views; {@code MaskedTokenMethod}: masked tokens). Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.pretext.data.batches.BatchFactory}), so a method of a new kind brings its factory
 * without edits to the driver.
 */
public interface BatchFactory {

  /** The modality interface whose methods this factory serves. */
  Class<? extends SslMethod> batchType();

  /** Fresh recipe options holding the defaults, to be filled by the command line. */
  RecipeOptions newRecipeOptions();

  /**
   * The batches of a run.
   *
   * @throws IllegalArgumentException if the method, recipe or dataset do not fit this factory
   */
  TrainingBatches create(BatchContext context);
}
