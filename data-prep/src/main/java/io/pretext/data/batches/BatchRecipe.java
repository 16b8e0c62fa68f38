package io.pretext.data.batches;

import java.io.Serializable;

/**
 * A validated, immutable recipe of a batch factory: how records become a method's training examples (the view
 * recipes of images, the masking of text). It is serialised to the executors with the batch function.
 */
public interface BatchRecipe extends Serializable {
}
