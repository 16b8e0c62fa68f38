package io.pretext.jobs.train.worker;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

/**
 * What every worker of an all-reduce segment (consecutive rounds in one barrier stage) starts from, broadcast once per
 * segment: either the driver's parameters (when the driver's copy changed since the workers last saw it: the run's
 * start, a method's epoch hook) or the version the workers' own networks should hold and, for a worker that lacks it
 * (a new executor, a retried stage), the model on storage at that version. Plus the method state to replicate on the
 * workers, where the first worker writes the model at the end, and how to reach the driver's report channel.
 */
@DefaultSerializer(JavaSerializer.class)
final class SegmentStart implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The version label of a network after {@code rounds} rounds of the trainer {@code token}. */
  static String version(String token, long rounds) {
    return token + "@" + rounds;
  }

  final String token;
  final long startRounds;
  final int rounds;
  /** Non-null: start from these; null: from the workers' networks at {@link #startRounds}, else {@link #modelDir}. */
  final RoundStart params;
  final String modelDir;
  /** The method state's {@code save()}, replicated on every worker; null when it gives the workers nothing. */
  final byte[] methodState;
  final String stagingDir;
  final int timeoutSeconds;
  final String channel;
  final long channelToken;
  /** Whether every step's gradients are averaged over the workers before the update. */
  final boolean gradients;

  SegmentStart(String token, long startRounds, int rounds, RoundStart params, String modelDir, byte[] methodState, String stagingDir,
      int timeoutSeconds, String channel, long channelToken, boolean gradients) {
    this.token = token;
    this.startRounds = startRounds;
    this.rounds = rounds;
    this.params = params;
    this.modelDir = modelDir;
    this.methodState = methodState;
    this.stagingDir = stagingDir;
    this.timeoutSeconds = timeoutSeconds;
    this.channel = channel;
    this.channelToken = channelToken;
    this.gradients = gradients;
  }
}
