package io.pretext.jobs.train;

import java.io.PrintWriter;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One human-readable line per round on stderr: epoch, round, loss, learning rate, throughput (images/s, or tokens/s
 * for text), the split of the round between making the minibatches, fitting and averaging, elapsed time and ETA.
 */
public final class ProgressLog implements RoundListener {
  private final PrintWriter out;
  private final int epochs;
  private final int roundsPerEpoch;
  private final String unit;

  /** @param unit what the throughput counts: {@code images} or {@code tokens} */
  public ProgressLog(PrintWriter out, int epochs, int roundsPerEpoch, String unit) {
    this.out = out;
    this.epochs = epochs;
    this.roundsPerEpoch = roundsPerEpoch;
    this.unit = unit;
  }

  @Override
  public void onRound(RoundReport r, ComputationGraph network) {
    out.printf(Locale.ROOT, "epoch %d/%d round %d/%d  loss %.4f  lr %.2e  %.0f %s/s  (batches %.0f%%, fit %.0f%%, averaging %.0f%%)  elapsed %s  eta %s%n",
        r.epoch() + 1, epochs, r.round() + 1, roundsPerEpoch, r.loss(), r.learningRate(), r.recordsPerSecond(), unit,
        share(r.viewSeconds(), r.seconds()), share(r.fitSeconds(), r.seconds()), share(r.averagingSeconds(), r.seconds()),
        duration(r.elapsedSeconds()), duration(r.etaSeconds()));
    out.flush();
  }

  private static double share(double part, double whole) {
    return whole > 0 ? 100 * part / whole : 0;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
