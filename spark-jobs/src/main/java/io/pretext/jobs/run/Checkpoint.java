package io.pretext.jobs.run;

import io.pretext.data.dataset.HadoopFiles;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.model.GraphSettings;
import io.pretext.model.backend.LayerHelpers;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A complete checkpoint directory: {@code model.zip} (network and optimiser state), {@code model.zip.sha256} (its
 * checksum; absent in checkpoints written by 0.1.0), {@code method-state.bin} when the method keeps driver-side state
 * ({@link io.pretext.model.method.MethodState}), and {@code run.json}, written last.
 */
public record Checkpoint(Path dir, RunInfo info) {
  public static final String MODEL_FILE = ModelFiles.MODEL_FILE;
  public static final String STATE_FILE = "method-state.bin";
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

  /** The method's saved state, or no bytes when the checkpoint holds none. */
  public byte[] loadState(Configuration conf) {
    Path state = new Path(dir, STATE_FILE);
    return HadoopFiles.exists(state, conf) ? HadoopFiles.readBytes(state, conf) : new byte[0];
  }
}
