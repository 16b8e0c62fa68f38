package io.pretext.jobs.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.SortedMap;

/**
 * {@code run.json}: the provenance of a checkpoint (Tribuo-style): what was trained, on which data,
 * with which code, and how far it got.
 *
 * @param formatVersion version of this file's format
 * @param method SSL method name, e.g. {@code simclr}
 * @param encoder encoder name, e.g. {@code small-cnn}
 * @param representationVertex graph vertex whose activations are the representation
 * @param representationDim its width
 * @param channels input channels
 * @param height input height
 * @param width input width
 * @param config every training option, as given
 * @param datasetUri the dataset trained on
 * @param datasetManifestSha256 SHA-256 of its manifest.json
 * @param versions Pretext, DL4J, Spark and Java versions
 * @param gitCommit the source commit the job jar was built from, or {@code unknown}
 * @param seed the run's seed
 * @param epoch 0-based epoch of the next round to train
 * @param roundInEpoch 0-based round of the next round to train
 * @param roundsDone rounds completed
 * @param totalRounds rounds the run will do
 * @param iterations optimiser steps per worker so far (drives the learning-rate schedule)
 * @param loss training loss of the last round
 * @param complete true for the final checkpoint of a finished run
 */
public record RunInfo(int formatVersion, String method, String encoder, String representationVertex, int representationDim,
    int channels, int height, int width, SortedMap<String, Object> config, String datasetUri, String datasetManifestSha256,
    SortedMap<String, String> versions, String gitCommit, long seed, int epoch, int roundInEpoch, long roundsDone,
    long totalRounds, long iterations, double loss, boolean complete) {

  public static final int FORMAT_VERSION = 1;
  public static final String FILE_NAME = "run.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.INDENT_OUTPUT, true)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise run.json", e);
    }
  }

  public static RunInfo fromJson(String json) {
    try {
      RunInfo info = JSON.readValue(json, RunInfo.class);
      if (info.formatVersion() < 1 || info.formatVersion() > FORMAT_VERSION) {
        throw new IllegalArgumentException("run.json formatVersion " + info.formatVersion() + " is not supported (1.." + FORMAT_VERSION + ")");
      }
      return info;
    } catch (IOException e) {
      throw new IllegalArgumentException("run.json is not valid: " + e.getMessage(), e);
    }
  }

  /** The same provenance at a later point of the run. */
  public RunInfo at(int nextEpoch, int nextRound, long rounds, long iters, double lastLoss, boolean done) {
    return new RunInfo(formatVersion, method, encoder, representationVertex, representationDim, channels, height, width, config,
        datasetUri, datasetManifestSha256, versions, gitCommit, seed, nextEpoch, nextRound, rounds, totalRounds, iters, lastLoss, done);
  }
}
