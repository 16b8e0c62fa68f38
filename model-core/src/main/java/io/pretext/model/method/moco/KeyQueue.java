package io.pretext.model.method.moco;

import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.method.MethodState;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * MoCo's queue of negative keys, the driver's copy: {@code size} unit rows of {@code dim} floats, oldest first. It
 * starts as seeded random unit vectors (as MoCo's {@code queue = normalize(randn(dim, K))}). Every round it is broadcast
 * to the workers ({@link #forWorkers}); each worker enqueues its own keys into its private copy after each of its steps
 * ({@link MocoSteps}), and at the round's end sends the keys it made. The driver appends every worker's keys in (step,
 * worker) order ({@link io.pretext.model.lifecycle.Merge#CONCAT}) and keeps the newest {@code size}: so every step's keys
 * of every worker enter the queue, as MoCo's all-gather does across GPUs, another worker's arriving when the round
 * ends. With one worker the driver's queue after a round is exactly the worker's, step by step as in sequential MoCo.
 * The queue is never averaged. Checkpoints hold it ({@link #save}), so a resumed run continues with the same queue.
 */
final class KeyQueue implements MethodState {
  /** The state part the workers send: the keys of each of their steps. */
  static final String KEYS = "keys";
  /** The workers' private copies, declared as kept on the driver (never sent, never merged). */
  static final String LOCAL = "local-queue";
  private static final int MAGIC = 0x4D6F436F; // "MoCo"
  private static final int VERSION = 1;

  private final int size;
  private final int dim;
  private float[] keys;

  /** A queue of {@code size} seeded random unit keys of width {@code dim}. */
  KeyQueue(int size, int dim, long seed) {
    this.size = size;
    this.dim = dim;
    SplittableRandom rng = new SplittableRandom(seed ^ 0x6B65795175657565L); // "keyQueue"
    keys = new float[size * dim];
    for (int r = 0; r < size; r++) {
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        double g = rng.nextGaussian();
        keys[r * dim + j] = (float) g;
        norm += g * g;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < dim; j++) {
        keys[r * dim + j] *= inv;
      }
    }
  }

  /** The queue the workers of a round start from. */
  record Snapshot(float[] keys, int size, int dim) implements Serializable {
  }

  /** The keys, oldest first (a copy). */
  float[] keys() {
    return keys.clone();
  }

  @Override
  public Serializable forWorkers() {
    return new Snapshot(keys.clone(), size, dim);
  }

  @Override
  public void onRoundEnd(RoundContributions merged) {
    merged.part(KEYS).ifPresent(p -> {
      if (p.width() != dim) {
        throw new IllegalStateException("workers sent keys of width " + p.width() + " to a queue of width " + dim);
      }
      keys = append(keys, p.values());
    });
  }

  /** The newest {@code queue.length} floats of {@code queue} followed by {@code newest}. */
  static float[] append(float[] queue, float[] newest) {
    int n = queue.length;
    float[] out = new float[n];
    if (newest.length >= n) {
      System.arraycopy(newest, newest.length - n, out, 0, n);
    } else {
      System.arraycopy(queue, newest.length, out, 0, n - newest.length);
      System.arraycopy(newest, 0, out, n - newest.length, newest.length);
    }
    return out;
  }

  @Override
  public byte[] save() {
    ByteBuffer b = ByteBuffer.allocate(16 + 4 * keys.length);
    b.putInt(MAGIC).putInt(VERSION).putInt(size).putInt(dim);
    for (float k : keys) {
      b.putFloat(k);
    }
    return b.array();
  }

  @Override
  public void restore(byte[] saved) {
    ByteBuffer b = ByteBuffer.wrap(saved);
    if (saved.length < 16 || b.getInt() != MAGIC || b.getInt() != VERSION) {
      throw new IllegalArgumentException("the checkpoint's method state is not a MoCo queue (" + saved.length + " bytes)");
    }
    int savedSize = b.getInt();
    int savedDim = b.getInt();
    if (savedSize != size || savedDim != dim) {
      throw new IllegalArgumentException("the checkpoint's MoCo queue holds " + savedSize + " keys of width " + savedDim + ", but this run"
          + " has --queue-size " + size + " and --projection-dim " + dim + "; resume with the run's own options");
    }
    if (saved.length != 16 + 4L * size * dim) {
      throw new IllegalArgumentException("the checkpoint's MoCo queue is " + saved.length + " bytes, expected " + (16 + 4L * size * dim));
    }
    float[] restored = new float[size * dim];
    for (int i = 0; i < restored.length; i++) {
      restored[i] = b.getFloat();
      if (!Float.isFinite(restored[i])) {
        throw new IllegalArgumentException("the checkpoint's MoCo queue holds a non-finite value at " + i);
      }
    }
    keys = restored;
  }
}
