package io.pretext.data.batches;

import io.pretext.model.method.SslMethod;

/**
 * The command-line options of a batch factory's recipe, declared next to the factory as a picocli mixin (the view
 * options of image methods, the masking options of text). Like {@code MethodOptions}, the resolved values are what
 * {@code run.json} records and {@code --resume} compares.
 */
public abstract class RecipeOptions {

  /**
   * The recipe for {@code method}, with defaults the method chooses (e.g. its view preset) where the user gave no
   * value. Implementations store the resolved values back into their option fields, so the values recorded for the
   * run are the ones that train.
   *
   * @throws IllegalArgumentException naming the option, the value and what is allowed
   */
  public abstract BatchRecipe toRecipe(SslMethod method);
}
