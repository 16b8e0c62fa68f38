package io.pretext.model.method.gan;

import io.pretext.model.InputShape;
import io.pretext.model.lifecycle.MethodContext;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.method.MethodState;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The GAN's generator, the driver's copy: its parameters and its Adam moments, as the second network of the run. The
 * workers of a round start from it ({@link #forWorkers}; before the first round there is none, and every worker
 * initialises the same generator from the run's seed), train it alternately with the discriminator ({@link GanSteps}),
 * and send it back; the driver averages it element-wise over the workers
 * ({@link io.pretext.model.lifecycle.Merge#AVERAGE}), exactly as the trainer averages the discriminator's parameters
 * and optimiser state, and checkpoints keep it ({@link #save}), so that a resumed run continues with the same generator.
 *
 * <p>On the wire, one averaged part {@value #GENERATOR}: a header of five floats (channels, height, width, noise width,
 * parameter count; integers, equal on every worker, so their average is exact) then the parameters in
 * {@link GeneratorGraph#PARAMETER_LAYERS} order, then Adam's state. A second part, {@value #LOSS}, carries each worker's
 * mean generator loss of the round, logged per epoch as {@code {"type":"gan",...}} in {@code metrics.jsonl}.
 */
final class GeneratorState implements MethodState {
  static final String GENERATOR = "generator";
  static final String LOSS = "generator-loss";
  static final int HEADER = 5;
  private static final int MAGIC = 0x47414E31; // "GAN1"
  private static final int VERSION = 1;

  private Snapshot snapshot;
  private double lossSum;
  private int lossRounds;

  /**
   * The generator as the workers receive it.
   *
   * @param channels the images it makes: channels
   * @param height their height
   * @param width their width
   * @param noiseDim its input width
   * @param parameters how many of {@code values} are parameters; the rest is Adam's state ({@code 2 * parameters})
   * @param values parameters then Adam's state
   */
  record Snapshot(int channels, int height, int width, int noiseDim, int parameters, float[] values) implements Serializable {
    Snapshot(InputShape shape, int noiseDim, int parameters, float[] values) {
      this(shape.channels(), shape.height(), shape.width(), noiseDim, parameters, values);
    }

    Snapshot {
      if (noiseDim < 1 || parameters < 1 || values.length != 3L * parameters) {
        throw new IllegalArgumentException("a generator of " + parameters + " parameters and noise width " + noiseDim + " cannot hold "
            + values.length + " values (parameters and Adam's two moments)");
      }
    }

    /** The images it makes. */
    InputShape shape() {
      return new InputShape(channels, height, width);
    }

    /** The header and the values, as a worker sends them. */
    float[] wire() {
      float[] out = new float[HEADER + values.length];
      out[0] = channels;
      out[1] = height;
      out[2] = width;
      out[3] = noiseDim;
      out[4] = parameters;
      System.arraycopy(values, 0, out, HEADER, values.length);
      return out;
    }

    static Snapshot fromWire(float[] wire) {
      if (wire.length < HEADER) {
        throw new IllegalStateException("a generator part of " + wire.length + " floats has no header");
      }
      return new Snapshot(new InputShape(Math.round(wire[0]), Math.round(wire[1]), Math.round(wire[2])), Math.round(wire[3]),
          Math.round(wire[4]), Arrays.copyOfRange(wire, HEADER, wire.length));
    }
  }

  /** The generator, or null before the first round's end. */
  Snapshot snapshot() {
    return snapshot;
  }

  @Override
  public Serializable forWorkers() {
    return snapshot;
  }

  @Override
  public void onRoundEnd(RoundContributions merged) {
    merged.part(GENERATOR).ifPresent(p -> snapshot = Snapshot.fromWire(p.values()));
    merged.part(LOSS).ifPresent(p -> {
      lossSum += p.values()[0];
      lossRounds++;
    });
  }

  @Override
  public void onEpochEnd(MethodContext context) {
    if (lossRounds == 0) {
      return;
    }
    double mean = lossSum / lossRounds;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("epoch", context.epoch());
    fields.put("generatorLoss", mean);
    context.log("gan", fields, String.format(Locale.ROOT, "gan: epoch %d, generator loss %.4f (mean over the epoch's rounds)",
        context.epoch(), mean));
    lossSum = 0;
    lossRounds = 0;
  }

  @Override
  public byte[] save() {
    if (snapshot == null) {
      return new byte[0];
    }
    float[] wire = snapshot.wire();
    ByteBuffer b = ByteBuffer.allocate(12 + 4 * wire.length);
    b.putInt(MAGIC).putInt(VERSION).putInt(wire.length);
    for (float v : wire) {
      b.putFloat(v);
    }
    return b.array();
  }

  @Override
  public void restore(byte[] saved) {
    snapshot = read(saved);
  }

  /**
   * The generator a checkpoint holds.
   *
   * @throws IllegalArgumentException if the bytes are not a generator this class wrote, or hold non-finite values
   */
  static Snapshot read(byte[] saved) {
    ByteBuffer b = ByteBuffer.wrap(saved);
    if (saved.length < 12 || b.getInt() != MAGIC || b.getInt() != VERSION) {
      throw new IllegalArgumentException("the checkpoint's method state is not a GAN generator (" + saved.length + " bytes): a run of"
          + " another method cannot be resumed or sampled as a GAN");
    }
    int n = b.getInt();
    if (n < HEADER || saved.length != 12 + 4L * n) {
      throw new IllegalArgumentException("the checkpoint's GAN generator is " + saved.length + " bytes but declares " + n + " values");
    }
    float[] wire = new float[n];
    for (int i = 0; i < n; i++) {
      wire[i] = b.getFloat();
      if (!Float.isFinite(wire[i])) {
        throw new IllegalArgumentException("the checkpoint's GAN generator holds a non-finite value at " + i);
      }
    }
    try {
      return Snapshot.fromWire(wire);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the checkpoint's GAN generator is inconsistent: " + e.getMessage(), e);
    }
  }
}
