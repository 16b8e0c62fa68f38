package io.pretext.jobs.train;

/**
 * What happened in one round, as logged and written to {@code metrics.jsonl}.
 *
 * @param epoch 0-based epoch
 * @param round 0-based round within the epoch
 * @param roundsDone rounds completed in the whole run, including those before a resume
 * @param totalRounds rounds the whole run will do
 * @param loss mean training loss the workers reported
 * @param learningRate learning rate at the end of the round
 * @param records records (images) trained on in this round
 * @param seconds wall time of the round
 * @param viewSeconds part of it spent making the minibatches (decoding, augmenting) in the executors
 * @param fitSeconds part of it a worker spent fitting (mean over workers)
 * @param averagingSeconds the rest of the training call: shipping, averaging and broadcasting parameters
 * @param elapsedSeconds wall time since this process started training
 * @param etaSeconds estimated time to the end of the run
 */
public record RoundReport(int epoch, int round, long roundsDone, long totalRounds, double loss, double learningRate,
    long records, double seconds, double viewSeconds, double fitSeconds, double averagingSeconds, double elapsedSeconds, double etaSeconds) {

  public double recordsPerSecond() {
    return seconds > 0 ? records / seconds : 0;
  }
}
