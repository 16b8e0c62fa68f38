/**
 * The training driver: it owns the loop over epochs and rounds, and nothing else. What a round
 * does on the cluster is behind {@link io.pretext.jobs.train.DistributedTrainer} (implemented with
 * DL4J's parameter averaging in {@code train.dl4j}, the only package that imports
 * {@code dl4j-spark}); what happens between rounds (progress, metrics, checkpoints, monitors) is a
 * {@link io.pretext.jobs.train.RoundListener}.
 */
package io.pretext.jobs.train;
