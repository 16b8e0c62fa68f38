package io.pretext.jobs.train.worker;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.pretext.model.lifecycle.StatePart;
import java.io.Serializable;
import java.util.List;

/**
 * One worker's round: its parameters and optimiser state after its last step, the sum of its steps' losses, its
 * steps, the time they took, and the state parts it sends (none with {@code KEEP_DRIVER}).
 */
@DefaultSerializer(JavaSerializer.class)
final class WorkerResult implements Serializable {
  private static final long serialVersionUID = 1L;

  final int worker;
  final float[] params;
  final float[] updater;
  final double lossSum;
  final int steps;
  final long fitNanos;
  final List<StatePart> parts;

  WorkerResult(int worker, float[] params, float[] updater, double lossSum, int steps, long fitNanos, List<StatePart> parts) {
    this.worker = worker;
    this.params = params;
    this.updater = updater;
    this.lossSum = lossSum;
    this.steps = steps;
    this.fitNanos = fitNanos;
    this.parts = List.copyOf(parts);
  }
}
