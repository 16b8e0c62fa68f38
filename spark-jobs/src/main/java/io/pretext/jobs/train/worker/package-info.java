/**
 * Pretext's own worker loop, behind {@link io.pretext.jobs.train.DistributedTrainer}, in two modes.
 *
 * <p>{@link io.pretext.jobs.train.worker.ParameterAveraging} ({@code --sync driver}): per round a {@code mapPartitions}
 * in which each worker reuses its network, fits its minibatches with the method's
 * {@link io.pretext.model.lifecycle.WorkerSteps}, and returns parameters, optimiser state, losses, timings and the state
 * it built; a {@code treeAggregate} sums them and the driver averages. It does what DL4J's
 * {@code ParameterAveragingTrainingMaster} did for Pretext (one worker is exactly sequential DL4J training) and what
 * that master cannot: worker state with merge rules, the method's per-step hooks with the minibatch and the step's
 * activations, per-round state from the driver.
 *
 * <p>{@link io.pretext.jobs.train.worker.AllReduceAveraging} ({@code --sync allreduce}): the same step and the same
 * averaging, but several rounds in one Spark barrier stage ({@link io.pretext.jobs.train.worker.SegmentLoop}) with the
 * workers averaging among themselves by XGBoost4J's ring all-reduce ({@link io.pretext.jobs.train.worker.Collective},
 * {@link io.pretext.jobs.train.worker.RingRound}) and the method state replicated on them.
 */
package io.pretext.jobs.train.worker;
