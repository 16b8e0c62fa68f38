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
 * @param combineSeconds part of it spent broadcasting and averaging parameters
 * @param elapsedSeconds wall time since this process started training
 * @param etaSeconds estimated time to the end of the run
 */
public record RoundReport(int epoch, int round, long roundsDone, long totalRounds, double loss, double learningRate,
    long records, double seconds, double combineSeconds, double elapsedSeconds, double etaSeconds) {

  public double recordsPerSecond() {
    return seconds > 0 ? records / seconds : 0;
  }
}
