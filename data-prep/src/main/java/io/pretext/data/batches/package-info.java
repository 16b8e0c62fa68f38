/**
 * Training minibatches made inside the executors, every epoch: a deterministic epoch order,
 * rounds of {@code workers x batchesPerWorker} minibatches laid out one Spark partition per
 * worker, and the method-specific batch contents (augmented views for images; masked tokens for
 * text will be a sibling implementation of {@link io.pretext.data.batches.TrainingBatches}).
 */
package io.pretext.data.batches;
