package io.pretext.jobs.train.dl4j;

import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.deeplearning4j.spark.api.WorkerConfiguration;

/**
 * DL4J's parameter-averaging master, with its per-round broadcast released when the round ends.
 *
 * <p>Why: {@code ParameterAveragingTrainingMaster.getWorkerInstance} broadcasts the configuration, parameters and
 * optimiser state every round and keeps no reference to the broadcast, so nothing ever destroys it. Spark's
 * {@code ContextCleaner} would remove it only after the driver's garbage collector has collected the
 * {@code Broadcast} object, and a long-lived one sits in the old generation until a full collection (Spark forces
 * one only every 30 minutes): meanwhile the driver's block manager keeps every round's serialised copy (3 x the
 * parameters with Adam) and each executor its fetched pieces. This class builds the same worker as DL4J's (the code
 * below is DL4J's, minus the statistics) and {@link #releaseRound} destroys the round's broadcast on the driver and
 * every executor once the round's job is done.
 */
final class RoundBroadcastMaster extends ParameterAveragingTrainingMaster {
  private static final long serialVersionUID = 1L;
  private transient Broadcast<NetBroadcastTuple> current;

  RoundBroadcastMaster(Builder builder) {
    super(builder);
  }

  @Override
  public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
    NetBroadcastTuple tuple = new NetBroadcastTuple(graph.getNetwork().getConfiguration(), graph.getNetwork().params(),
        graph.getNetwork().getUpdater().getStateViewArray());
    releaseRound();
    current = graph.getSparkContext().broadcast(tuple);
    WorkerConfiguration configuration = new WorkerConfiguration(true, rddDataSetNumExamples, batchSizePerWorker, averagingFrequency,
        prefetchNumBatches, collectTrainingStats);
    return new ParameterAveragingTrainingWorker(current, saveUpdater, configuration, trainingHookList, listeners, getRouterProvider());
  }

  /** Destroys the last round's broadcast (non-blocking); the round's job has finished when the caller calls this. */
  void releaseRound() {
    if (current != null) {
      current.destroy(false);
      current = null;
    }
  }
}
