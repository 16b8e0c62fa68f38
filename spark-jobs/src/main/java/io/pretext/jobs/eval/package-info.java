/**
 * Evaluation of frozen encoders and export of representations.
 *
 * <ul>
 *   <li>{@link io.pretext.jobs.eval.Evaluate}: linear probe ({@link io.pretext.jobs.eval.LinearProbe}, Spark MLlib) and
 *       weighted kNN ({@link io.pretext.jobs.eval.KnnClassifier}, InstDisc, Wu et al. 2018) on labeled prepared datasets;
 *       encoders: the trained checkpoint, a random init of the same architecture, or raw pixels.</li>
 *   <li>{@link io.pretext.jobs.eval.Embed}: one representation per record, written as Parquet.</li>
 *   <li>{@link io.pretext.jobs.eval.Features}: the Spark side of both: a {@code mapPartitions} in which each partition
 *       rebuilds the broadcast encoder ({@link io.pretext.jobs.eval.NetworkEncoder}) once and encodes batches.</li>
 * </ul>
 */
package io.pretext.jobs.eval;
