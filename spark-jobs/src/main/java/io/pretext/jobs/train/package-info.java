/**
 * The training driver: it owns the loop over epochs and rounds, and nothing else. What rounds do on the cluster is
 * behind {@link io.pretext.jobs.train.DistributedTrainer} (Pretext's own worker loop in {@code train.worker}, averaging
 * through the driver or by an all-reduce among the workers); what happens between rounds (progress, metrics,
 * checkpoints, monitors) is a {@link io.pretext.jobs.train.RoundListener}.
 */
package io.pretext.jobs.train;
