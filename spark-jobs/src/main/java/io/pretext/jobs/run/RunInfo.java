package io.pretext.jobs.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code run.json}: the provenance of a checkpoint (Tribuo-style): what was trained, on which data, with which code,
 * and how far it got.
 *
 * <p>{@code options} is the whole configuration as the run resolved it: every option of every group, by group
 * ({@value #RUN_GROUP}: where and how the job runs, which does not change what it trains; {@code training}: encoder,
 * workers, rounds, optimiser, seed; {@code recipe}: the view recipes or the masking; {@code method}: the method's own
 * options), each as option name to value. It is derived from the option objects themselves, so a new option is
 * recorded, and compared on {@code --resume}, without a list kept by hand.
 *
 * @param formatVersion version of this file's format ({@value #FORMAT_VERSION}; 1 was Pretext 0.1.0's)
 * @param method SSL method name, e.g. {@code simclr}
 * @param encoder encoder name, e.g. {@code small-cnn}
 * @param representationVertex graph vertex whose activations are the representation
 * @param representationDim its width
 * @param input what the network reads
 * @param options the resolved options by group
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
    InputInfo input, SortedMap<String, SortedMap<String, String>> options, String datasetUri, String datasetManifestSha256,
    SortedMap<String, String> versions, String gitCommit, long seed, int epoch, int roundInEpoch, long roundsDone,
    long totalRounds, long iterations, double loss, boolean complete) {

  public static final int FORMAT_VERSION = 2;
  public static final String FILE_NAME = "run.json";
  /** The option group that does not change what a run trains: not compared on resume. */
  public static final String RUN_GROUP = "run";
  /** The group of a format-1 run.json's flat options, which carried no groups. */
  public static final String VERSION_1_GROUP = "version1";

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

  /**
   * Reads a run.json of format 1 or 2. A format-1 file (Pretext 0.1.0) is upgraded: its image geometry becomes
   * {@link #input()}, and its flat camelCase options become group {@value #VERSION_1_GROUP} under their option names.
   *
   * @throws RunException if it is not a run.json this version reads
   */
  public static RunInfo fromJson(String json) {
    try {
      JsonNode tree = JSON.readTree(json);
      int version = tree.path("formatVersion").asInt(-1);
      if (version < 1 || version > FORMAT_VERSION) {
        throw new RunException("run.json formatVersion " + tree.path("formatVersion") + " is not supported (1.." + FORMAT_VERSION
            + "); it was written by another version of Pretext");
      }
      if (version == 1 && tree instanceof ObjectNode node) {
        upgradeVersion1(node);
      }
      RunInfo info = JSON.treeToValue(tree, RunInfo.class);
      if (info.input() == null || info.options() == null || info.method() == null) {
        throw new RunException("run.json is incomplete: it has no " + (info.method() == null ? "method" : info.input() == null ? "input" : "options"));
      }
      return info;
    } catch (IOException e) {
      throw new RunException("run.json is not valid: " + e.getMessage(), e);
    }
  }

  private static void upgradeVersion1(ObjectNode node) {
    ObjectNode input = node.putObject("input");
    input.put("kind", "image");
    input.set("channels", node.get("channels"));
    input.set("height", node.get("height"));
    input.set("width", node.get("width"));
    SortedMap<String, String> flat = new TreeMap<>();
    JsonNode config = node.path("config");
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String value = v.isArray() ? join(v) : v.isNull() ? "" : v.asText();
      flat.put("--" + e.getKey().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT), value);
    }
    node.putObject("options").set(VERSION_1_GROUP, JSON.valueToTree(flat));
  }

  private static String join(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode x : array) {
      sb.append(sb.length() == 0 ? "" : ",").append(x.asText());
    }
    return sb.toString();
  }

  /** The options of {@code group}, or none. */
  public SortedMap<String, String> group(String group) {
    return options.getOrDefault(group, new TreeMap<>());
  }

  /** The same provenance at a later point of the run. */
  public RunInfo at(int nextEpoch, int nextRound, long rounds, long iters, double lastLoss, boolean done) {
    return new RunInfo(formatVersion, method, encoder, representationVertex, representationDim, input, options, datasetUri,
        datasetManifestSha256, versions, gitCommit, seed, nextEpoch, nextRound, rounds, totalRounds, iters, lastLoss, done);
  }
}
