package io.pretext.model.lifecycle;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What a method's epoch hooks may use ({@link io.pretext.model.method.MethodState#onEpochStart},
 * {@link io.pretext.model.method.MethodState#onEpochEnd}): the run's plan, the driver's current network, the dataset
 * embedded by that network on the executors, the clustering tools, per-record tables in the run directory, and the
 * run's metrics. model-core has no Spark: spark-jobs implements this with the run's Spark session; a test may
 * implement it in memory.
 */
public interface MethodContext {

  /** The epoch the hook is for (0-based). */
  int epoch();

  /** The run's plan. */
  RunPlan plan();

  /**
   * The driver's network as it stands; a hook may change it (DeepCluster re-initialises its classifier before an
   * epoch), and the next round trains what it left.
   */
  ComputationGraph network();

  /**
   * Every record of the training dataset, unaugmented, through the current network in inference mode: the activations
   * of {@code vertex} ({@code [N, d]}), computed on the executors (the evaluation's embedding code).
   *
   * @throws IllegalArgumentException if the records have no id to key the vectors by
   */
  Vectors embed(String vertex);

  /**
   * The {@code --monitor} dataset embedded like {@link #embed}, when the run has one of the training data's kind; its
   * vectors carry labels when it has them.
   */
  Optional<Vectors> embedMonitor(String vertex);

  /** PCA, k-means, nearest-centroid assignment, NMI. */
  Clustering clustering();

  /**
   * Writes {@code assignment} as a per-record table {@code name} of the run, a record's label its cluster and its
   * weight {@code weightPerLabel[label]}.
   */
  RecordTable saveLabels(String name, Assignment assignment, double[] weightPerLabel);

  /**
   * A per-record table written earlier ({@link #saveLabels}) read back as an assignment, its labels the clusters (to
   * compare two epochs' clusterings); its {@link Assignment#centroids()} are null.
   */
  Assignment labels(RecordTable table);

  /**
   * Appends {@code {"type": type, "epoch": .., "roundsDone": .., fields...}} to the run's {@code metrics.jsonl} and prints
   * {@code progress} (one line) on the progress stream.
   */
  void log(String type, Map<String, Object> fields, String progress);
}
