package io.pretext.jobs.train.worker;

import io.pretext.model.backend.NativeThreads;
import io.pretext.model.layers.CaptureVertex;
import io.pretext.model.lifecycle.Merge;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.StatePart;
import io.pretext.model.lifecycle.StepResult;
import io.pretext.model.lifecycle.WorkerSteps;
import io.pretext.model.method.SslMethod;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One worker's round, in the executor: the task's partition holds the worker's minibatches in order. The worker sets
 * a network ({@link WorkerNetworks}) to the round's start ({@link RoundStart}: parameters, optimiser state, iteration
 * and epoch counts), asks the method for its {@link WorkerSteps} with the driver's broadcast state, and for every
 * minibatch runs {@code beforeStep}, one optimiser step ({@code ComputationGraph.fit}), {@code afterStep}; then it
 * returns one {@link WorkerResult}. An empty partition returns nothing and builds nothing.
 *
 * <p>The loss of a step is DL4J's score minus the weight-decay term of the parameters it was computed with (DL4J adds
 * {@code 0.5 wd |w|^2}, which grows with the weights and is several nats for a Transformer's vocabulary table).
 * Native threads: OpenMP's team size is per thread and Spark runs each task on a thread of its own pool, so the task
 * takes the JVM's configured count first ({@link NativeThreads#applyToCurrentThread()}).
 */
final class WorkerLoop implements FlatMapFunction<Iterator<MultiDataSet>, WorkerResult> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<String> configuration;
  private final Broadcast<RoundStart> start;
  private final SslMethod method;
  private final RunPlan plan;

  WorkerLoop(Broadcast<String> configuration, Broadcast<RoundStart> start, SslMethod method, RunPlan plan) {
    this.configuration = configuration;
    this.start = start;
    this.method = method;
    this.plan = plan;
  }

  @Override
  public Iterator<WorkerResult> call(Iterator<MultiDataSet> batches) {
    if (!batches.hasNext()) {
      return Collections.emptyIterator();
    }
    NativeThreads.applyToCurrentThread();
    String json = configuration.value();
    ComputationGraph net = WorkerNetworks.borrow(json);
    try {
      return Collections.singletonList(train(net, batches, TaskContext.getPartitionId())).iterator();
    } finally {
      WorkerNetworks.giveBack(json, net);
    }
  }

  private WorkerResult train(ComputationGraph net, Iterator<MultiDataSet> batches, int worker) {
    RoundStart s = start.value();
    set(net, s);
    WorkerSteps steps = method.workerSteps(s.fromDriver, plan);
    double lossSum = 0;
    int count = 0;
    long nanos = 0;
    while (batches.hasNext()) {
      MultiDataSet next = batches.next();
      long t0 = System.nanoTime();
      double loss = step(net, steps, next);
      nanos += System.nanoTime() - t0;
      lossSum += loss;
      count++;
    }
    List<StatePart> parts = steps.endOfRound().stream().filter(p -> p.merge() != Merge.KEEP_DRIVER).toList();
    return new WorkerResult(worker, floats(net.params()), updaterState(net) == null ? null : floats(updaterState(net)), lossSum,
        count, nanos, parts);
  }

  /**
   * One optimiser step on {@code next} with the method's steps around it; returns the step's loss without the
   * weight-decay term.
   */
  static double step(ComputationGraph net, WorkerSteps steps, MultiDataSet next) {
    MultiDataSet batch = steps.beforeStep(net, next);
    double regularisation = net.calcRegularizationScore(true);
    net.fit(batch);
    double loss = net.score() - regularisation;
    afterStep(net, steps, batch, loss);
    return loss;
  }

  /** The method's work after a step of loss {@code loss} on {@code batch}. */
  static void afterStep(ComputationGraph net, WorkerSteps steps, MultiDataSet batch, double loss) {
    steps.afterStep(net, batch, new Step(net, loss));
  }

  /** Overwrites everything training reads: parameters, optimiser state, iteration and epoch counts. */
  static void set(ComputationGraph net, RoundStart s) {
    if (net.params().length() != s.params.length) {
      throw new IllegalStateException("the round's parameters have " + s.params.length + " values, the network " + net.params().length());
    }
    net.params().assign(Nd4j.createFromArray(s.params));
    INDArray state = updaterState(net);
    if (s.updater != null) {
      if (state == null || state.length() != s.updater.length) {
        throw new IllegalStateException("the round's optimiser state has " + s.updater.length + " values, the network's "
            + (state == null ? 0 : state.length()));
      }
      state.assign(Nd4j.createFromArray(s.updater));
    }
    ComputationGraphConfiguration conf = net.getConfiguration();
    conf.setIterationCount(s.iteration);
    conf.setEpochCount(s.epoch);
  }

  /** The optimiser state's flat view, or null for a network without trainable parameters. */
  static INDArray updaterState(ComputationGraph net) {
    return net.getUpdater(true) == null ? null : net.getUpdater(true).getStateViewArray();
  }

  static float[] floats(INDArray a) {
    return a.dataType() == DataType.FLOAT ? a.dup('c').data().asFloat() : a.castTo(DataType.FLOAT).data().asFloat();
  }

  /** What {@link WorkerSteps#afterStep} sees of a step. */
  private record Step(ComputationGraph net, double loss) implements StepResult {
    @Override
    public INDArray captured(String vertex) {
      GraphVertex v = net.getVertex(vertex);
      if (!(v instanceof CaptureVertex c)) {
        throw new IllegalArgumentException("the graph has no capture vertex '" + vertex + "'");
      }
      return c.captured();
    }
  }
}
