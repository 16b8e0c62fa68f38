package io.pretext.jobs.run;

import io.pretext.data.dataset.HadoopFiles;
import io.pretext.model.GraphSettings;
import io.pretext.model.backend.LayerHelpers;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A complete checkpoint directory: {@code model.zip} (network and optimiser state), {@code method-state.bin} when the
 * method keeps driver-side state ({@link io.pretext.model.method.MethodState}), and {@code run.json}, written last.
 */
public record Checkpoint(Path dir, RunInfo info) {
  public static final String MODEL_FILE = "model.zip";
  public static final String STATE_FILE = "method-state.bin";

  /** Loads the network with its optimiser state, ready to train on or to evaluate. */
  public ComputationGraph loadModel(Configuration conf) {
    Path model = new Path(dir, MODEL_FILE);
    LayerHelpers.enableByDefault(); // layers pick their (oneDNN) helpers when restored
    try (InputStream in = HadoopFiles.fs(model, conf).open(model)) {
      ComputationGraph graph = ModelSerializer.restoreComputationGraph(in, true);
      GraphSettings.adaptCacheMode(graph);
      return graph;
    } catch (IOException e) {
      throw new RunException("cannot load " + model + ": " + e.getMessage(), e);
    }
  }

  /** The method's saved state, or no bytes when the checkpoint holds none. */
  public byte[] loadState(Configuration conf) {
    Path state = new Path(dir, STATE_FILE);
    return HadoopFiles.exists(state, conf) ? HadoopFiles.readBytes(state, conf) : new byte[0];
  }
}
