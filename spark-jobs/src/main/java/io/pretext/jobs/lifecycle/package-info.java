/**
 * The method lifecycle's run context on Spark: {@link io.pretext.jobs.lifecycle.SparkMethodContext} implements
 * model-core's {@link io.pretext.model.lifecycle.MethodContext} with the run's session, dataset and directories, and
 * {@link io.pretext.jobs.lifecycle.SparkClustering} its PCA and k-means tools with Spark MLlib. Vectors and assignments
 * stay in the executors as cached DataFrames; only small aggregates (means, covariances, centroids, cluster sizes,
 * contingency tables) reach the driver, so a corpus of any size is clustered the same way.
 */
package io.pretext.jobs.lifecycle;
