package io.pretext.jobs.train.worker;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every worker of a round starts from, broadcast once per round: the driver's parameters and optimiser state (the
 * flat vectors of {@code ComputationGraph.params()} and of its updater's state view), the run's iteration and epoch
 * counts (the learning-rate schedule and Adam's bias correction read them), and the method state's
 * {@code forWorkers()}. Java-serialised (its Kryo default): the method's value may be a record, which Kryo's field
 * serializer cannot rebuild on Java 17; the two float vectors go out as bulk arrays either way.
 */
@DefaultSerializer(JavaSerializer.class)
final class RoundStart implements Serializable {
  private static final long serialVersionUID = 1L;

  final float[] params;
  final float[] updater;
  final int iteration;
  final int epoch;
  final Serializable fromDriver;

  /** What {@code net} holds: its parameters, optimiser state, iteration and epoch counts; with {@code fromDriver}. */
  static RoundStart of(ComputationGraph net, Serializable fromDriver) {
    INDArray state = WorkerLoop.updaterState(net);
    return new RoundStart(WorkerLoop.floats(net.params()), state == null ? null : WorkerLoop.floats(state),
        net.getConfiguration().getIterationCount(), net.getConfiguration().getEpochCount(), fromDriver);
  }

  RoundStart(float[] params, float[] updater, int iteration, int epoch, Serializable fromDriver) {
    this.params = params;
    this.updater = updater;
    this.iteration = iteration;
    this.epoch = epoch;
    this.fromDriver = fromDriver;
  }
}
