package io.pretext.jobs.train.worker;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

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

  RoundStart(float[] params, float[] updater, int iteration, int epoch, Serializable fromDriver) {
    this.params = params;
    this.updater = updater;
    this.iteration = iteration;
    this.epoch = epoch;
    this.fromDriver = fromDriver;
  }
}
