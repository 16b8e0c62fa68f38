/**
 * Optimiser configuration and learning-rate schedules.
 *
 * <p>{@link io.pretext.model.optim.OptimizerConfig} turns an immutable, validated description (Adam or AdamW, learning
 * rate, weight decay, warm-up and total iterations) into DL4J objects: an {@code IUpdater} and a list of
 * {@code Regularization}s. {@link io.pretext.model.optim.WarmupCosineSchedule} is a DL4J {@code ISchedule}, so it is
 * stored in the network's JSON configuration and therefore in checkpoints and on Spark workers.
 */
package io.pretext.model.optim;
