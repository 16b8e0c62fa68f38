/**
 * The method lifecycle: what a self-supervised method may do besides defining a graph, and what the training run
 * offers it in return. docs/architecture.md draws the whole cycle; in short, per run:
 *
 * <pre>
 *   driver                                              executors
 *   ------                                              ---------
 *   SslMethod.check(RunPlan), newState(RunPlan)
 *   every epoch:
 *     MethodState.onEpochStart(MethodContext)  ----->   embed every record (MethodContext.embed), PCA, k-means
 *     MethodState.recordTable() (labels, weights) --->   batch makers join it by record id: ImageBatch labels
 *     every round:
 *       MethodState.forWorkers()  -- broadcast ----->   SslMethod.workerSteps(..): beforeStep / fit / afterStep
 *       MethodState.onRoundEnd(RoundContributions) <--   WorkerSteps.endOfRound(): StateParts, merged by their Merge
 *     MethodState.onEpochEnd(MethodContext)
 *   every checkpoint: MethodState.save() (+ the run tables it names in tables())
 * </pre>
 *
 * <p>Nothing here knows Spark: {@link io.pretext.model.lifecycle.MethodContext} and
 * {@link io.pretext.model.lifecycle.Clustering} are interfaces that the spark-jobs module implements, and the
 * handles they return ({@link io.pretext.model.lifecycle.Vectors}, {@link io.pretext.model.lifecycle.Assignment}) stand
 * for distributed tables that never come to the driver whole.
 */
package io.pretext.model.lifecycle;
