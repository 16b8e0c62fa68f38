package io.pretext.model.method.moco;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runs {@link InfoNceLogits} alone on given queries, keys and queue (tests). */
final class InfoNceLogitsVertexProbe {
  private InfoNceLogitsVertexProbe() {}

  static INDArray forward(INDArray q, INDArray keys, INDArray queue, double t) {
    int d = (int) q.size(1);
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).graphBuilder()
        .addInputs("q", "keys", "queue")
        .setInputTypes(InputType.feedForward(d), InputType.feedForward(d), InputType.feedForward(d))
        .addVertex("logits", new InfoNceLogits(t, (int) queue.size(0)), "q", "keys", "queue")
        .setOutputs("logits").build();
    ComputationGraph g = new ComputationGraph(conf);
    g.init();
    return g.output(false, q, keys, queue)[0];
  }
}
