package io.pretext.jobs.train.worker;

import io.pretext.model.lifecycle.Merge;
import io.pretext.model.lifecycle.RoundContributions;
import io.pretext.model.lifecycle.StatePart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a round under the all-reduce trainer, on every worker: what {@link RoundSum} and the driver do under
 * parameter averaging, done by two all-reduces among the workers instead. The first, small, all-gathers every worker's
 * figures (loss sum, steps, fit time) and the shapes of the state parts it sends; the second sums the parameters, the
 * optimiser state and the parts, each worker writing its {@link Merge#CONCAT} rows into its own slots so that the sum
 * is an all-gather. The results are the driver's: parameters and optimiser state divided by the workers that trained,
 * iteration count advanced by the most steps a worker took, parts merged by their rules ({@code AVERAGE}: element-wise
 * mean over the workers that sent the part; {@code CONCAT}: rows in (step, worker) order). Every worker receives the
 * same bits, so the workers stay identical.
 */
final class RingRound {
  /** Figures per worker before the part shapes: loss sum, steps, fit milliseconds, parts sent. */
  private static final int FIGURES = 4;
  /** The most state parts a method may send under the all-reduce trainer. */
  static final int MAX_PARTS = 8;

  private RingRound() {}

  /**
   * The round's merged outcome on this worker.
   *
   * @param lossSum every worker's loss sum, added
   * @param steps every worker's steps, added
   * @param maxSteps the most steps one worker took
   * @param fitMillis every worker's fit time, added
   * @param trained workers that took at least one step
   * @param contributions the parts, merged
   */
  record Outcome(double lossSum, long steps, int maxSteps, double fitMillis, int trained, RoundContributions contributions) {}

  /**
   * Averages {@code params} and {@code updater} in place over the workers and merges {@code parts}.
   *
   * @param maxBlocks the most optimiser steps a worker takes in a round (CONCAT parts have one block per step)
   * @param updater the optimiser state's values, or null for a network without
   */
  static Outcome reduce(Collective ring, int worker, int workers, int maxBlocks, float[] params, float[] updater, double lossSum,
      int steps, double fitMillis, List<StatePart> parts) {
    if (parts.size() > MAX_PARTS) {
      throw new IllegalStateException("a worker sends " + parts.size() + " state parts; the all-reduce trainer carries at most " + MAX_PARTS);
    }
    int shape = 2 + maxBlocks; // merge rule + 1, width, then block lengths
    int slot = FIGURES + MAX_PARTS * shape;
    float[] header = new float[workers * slot];
    int at = worker * slot;
    header[at] = (float) lossSum;
    header[at + 1] = steps;
    header[at + 2] = (float) fitMillis;
    header[at + 3] = parts.size();
    for (int p = 0; p < parts.size(); p++) {
      StatePart part = parts.get(p);
      if (part.blocks().size() > maxBlocks) {
        throw new IllegalStateException("state part '" + part.name() + "' has " + part.blocks().size() + " blocks, more than the round's "
            + maxBlocks + " steps");
      }
      int s = at + FIGURES + p * shape;
      header[s] = part.merge().ordinal() + 1;
      header[s + 1] = part.width();
      for (int b = 0; b < part.blocks().size(); b++) {
        header[s + 2 + b] = part.blocks().get(b).length;
      }
    }
    ring.sum(header);

    double losses = 0;
    double fit = 0;
    long allSteps = 0;
    int most = 0;
    int trained = 0;
    int partCount = -1;
    for (int w = 0; w < workers; w++) {
      int o = w * slot;
      losses += header[o];
      int st = (int) header[o + 1];
      allSteps += st;
      most = Math.max(most, st);
      fit += header[o + 2];
      if (st > 0) {
        trained++;
        int n = (int) header[o + 3];
        if (partCount >= 0 && n != partCount) {
          throw new IllegalStateException("workers sent " + partCount + " and " + n + " state parts in one round");
        }
        partCount = n;
      }
    }
    if (trained == 0) {
      return new Outcome(0, 0, 0, 0, 0, RoundContributions.NONE);
    }
    if (partCount != parts.size() && steps > 0) {
      throw new IllegalStateException("this worker sent " + parts.size() + " state parts, another " + partCount);
    }

    // the body: parameters, optimiser state, then each part's region
    int updaterLength = updater == null ? 0 : updater.length;
    int[] regionStart = new int[partCount];
    int[] regionLength = new int[partCount];
    int length = params.length + updaterLength;
    for (int p = 0; p < partCount; p++) {
      regionStart[p] = length;
      regionLength[p] = regionLength(header, slot, shape, workers, p, maxBlocks);
      length = Math.addExact(length, regionLength[p]);
    }
    float[] body = new float[length];
    if (steps > 0) {
      System.arraycopy(params, 0, body, 0, params.length);
      if (updater != null) {
        System.arraycopy(updater, 0, body, params.length, updaterLength);
      }
      for (int p = 0; p < partCount; p++) {
        write(parts.get(p), body, regionStart[p], header, slot, shape, workers, worker, p, maxBlocks);
      }
    }
    ring.sum(body);
    for (int i = 0; i < params.length; i++) {
      params[i] = body[i] / trained;
    }
    for (int i = 0; i < updaterLength; i++) {
      updater[i] = body[params.length + i] / trained;
    }
    Map<String, RoundContributions.Merged> merged = new HashMap<>();
    for (int p = 0; p < partCount; p++) {
      StatePart mine = parts.get(p);
      int s = worker * slot + FIGURES + p * shape;
      Merge merge = Merge.values()[(int) header[s] - 1];
      int senders = 0;
      for (int w = 0; w < workers; w++) {
        int o = w * slot;
        if (header[o + 1] > 0) {
          senders++;
          int ws = o + FIGURES + p * shape;
          if ((int) header[ws] != (int) header[s] || (int) header[ws + 1] != mine.width()) {
            throw new IllegalStateException("state part '" + mine.name() + "' was sent differently (rule or width) by two workers");
          }
        }
      }
      float[] values = new float[regionLength[p]];
      System.arraycopy(body, regionStart[p], values, 0, values.length);
      if (merge == Merge.AVERAGE) {
        for (int i = 0; i < values.length; i++) {
          values[i] /= senders;
        }
      }
      merged.put(mine.name(), new RoundContributions.Merged(merge, mine.width(), values, senders));
    }
    return new Outcome(losses, allSteps, most, fit, trained, new RoundContributions(merged));
  }

  /** Floats of part {@code p}'s region: AVERAGE one block's length; CONCAT every worker's every block. */
  private static int regionLength(float[] header, int slot, int shape, int workers, int p, int maxBlocks) {
    int length = 0;
    for (int w = 0; w < workers; w++) {
      int o = w * slot;
      if (header[o + 1] == 0) {
        continue;
      }
      int s = o + FIGURES + p * shape;
      Merge merge = Merge.values()[(int) header[s] - 1];
      if (merge == Merge.AVERAGE) {
        int l = (int) header[s + 2];
        if (length != 0 && l != length) {
          throw new IllegalStateException("an averaged state part has " + length + " values on one worker and " + l + " on another");
        }
        length = l;
      } else {
        for (int b = 0; b < maxBlocks; b++) {
          length += (int) header[s + 2 + b];
        }
      }
    }
    return length;
  }

  /** Writes this worker's part {@code p} into its place in the region that starts at {@code start}. */
  private static void write(StatePart part, float[] body, int start, float[] header, int slot, int shape, int workers, int worker,
      int p, int maxBlocks) {
    if (part.merge() == Merge.AVERAGE) {
      float[] v = part.blocks().get(0);
      System.arraycopy(v, 0, body, start, v.length);
      return;
    }
    // CONCAT, step-major: for each step, every worker's block in worker order
    int at = start;
    for (int b = 0; b < maxBlocks; b++) {
      for (int w = 0; w < workers; w++) {
        int s = w * slot + FIGURES + p * shape;
        if (header[w * slot + 1] == 0) {
          continue;
        }
        int l = (int) header[s + 2 + b];
        if (w == worker && l > 0) {
          System.arraycopy(part.blocks().get(b), 0, body, at, l);
        }
        at += l;
      }
    }
  }

  /** Parts a worker sends: all but {@link Merge#KEEP_DRIVER}. */
  static List<StatePart> sent(List<StatePart> parts) {
    List<StatePart> out = new ArrayList<>();
    for (StatePart p : parts) {
      if (p.merge() != Merge.KEEP_DRIVER) {
        out.add(p);
      }
    }
    return out;
  }
}
