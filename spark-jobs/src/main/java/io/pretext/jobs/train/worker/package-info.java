/**
 * Pretext's own worker loop and parameter averaging, behind {@link io.pretext.jobs.train.DistributedTrainer}: a
 * {@code mapPartitions} in which each worker rebuilds (or reuses) the network, fits its minibatches with the method's
 * {@link io.pretext.model.lifecycle.WorkerSteps}, and returns parameters, optimiser state, losses, timings and the
 * state it built; a {@code treeAggregate} sums them and the driver averages. It does what DL4J's
 * {@code ParameterAveragingTrainingMaster} did for Pretext (one worker is exactly sequential DL4J training) and what
 * that master cannot: worker state with merge rules, the method's per-step hooks with the minibatch and the step's
 * activations, per-round state from the driver.
 */
package io.pretext.jobs.train.worker;
