/**
 * DeepCluster (Caron et al. 2018): {@link io.pretext.model.method.deepcluster.DeepCluster}, the classifier of
 * k-means pseudo-labels, and its driver state, the epoch's assignment as a per-record table of the run
 * ({@link io.pretext.model.method.deepcluster.ClusterAssignments}).
 */
package io.pretext.model.method.deepcluster;
