package io.pretext.jobs.run;

import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.model.GraphSettings;
import io.pretext.model.backend.LayerHelpers;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A complete checkpoint directory: {@code model.zip} (network and optimiser state), {@code model.zip.sha256} (its
 * checksum; absent in checkpoints written by 0.1.0), {@code method-state.bin} when the method keeps driver-side state
 * ({@link io.pretext.model.method.MethodState}), {@code method-state.tables} when that state refers to per-record tables
 * of the run (under {@code state/}), and {@code run.json}, written last.
 */
public record Checkpoint(Path dir, RunInfo info) {
  public static final String MODEL_FILE = ModelFiles.MODEL_FILE;
  public static final String STATE_FILE = "method-state.bin";
  /** The run's per-record tables the method's state names, one per line ({@code RunDirectory#stateTable}). */
  public static final String STATE_TABLES_FILE = "method-state.tables";
  /** A text run's vocabulary, copied from its dataset into every checkpoint. */
  public static final String VOCAB_FILE = "vocab.txt";

  /** Loads the network with its optimiser state, ready to train on or to evaluate, through {@link ModelFiles}'s checks. */
  public ComputationGraph loadModel(Configuration conf) {
    Path model = new Path(dir, MODEL_FILE);
    LayerHelpers.enableByDefault(); // layers pick their (oneDNN) helpers when restored
    // not DL4J's ModelSerializer: a checkpoint may come from anywhere (ModelFiles says what is checked)
    ComputationGraph graph = ModelFiles.read(HadoopFiles.fs(model, conf), dir);
    GraphSettings.adaptCacheMode(graph);
    return graph;
  }

  /**
   * The vocabulary of a text run's checkpoint.
   *
   * @throws RunException if the checkpoint holds none (an image run) or it does not parse
   */
  public Vocabulary vocabulary(Configuration conf) {
    Path file = new Path(dir, VOCAB_FILE);
    if (!HadoopFiles.exists(file, conf)) {
      throw new RunException("checkpoint " + dir + " has no " + VOCAB_FILE + ": it is not a text run's checkpoint");
    }
    try {
      return Vocabulary.parse(HadoopFiles.readBytes(file, conf), file.toString());
    } catch (IllegalArgumentException e) {
      throw new RunException("checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The per-record tables the checkpoint's method state names, or none. */
  public Set<String> stateTables(Configuration conf) {
    Path file = new Path(dir, STATE_TABLES_FILE);
    if (!HadoopFiles.exists(file, conf)) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    for (String line : new String(HadoopFiles.readBytes(file, conf), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  /** The method's saved state, or no bytes when the checkpoint holds none. */
  public byte[] loadState(Configuration conf) {
    Path state = new Path(dir, STATE_FILE);
    return HadoopFiles.exists(state, conf) ? HadoopFiles.readBytes(state, conf) : new byte[0];
  }
}
