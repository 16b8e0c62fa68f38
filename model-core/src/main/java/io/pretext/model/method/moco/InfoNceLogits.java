package io.pretext.model.method.moco;

import io.pretext.model.layers.ParameterFreeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * MoCo's contrastive logits (He et al. 2020, Algorithm 1), symmetric: three inputs, queries {@code q [2N, D]} (view 1
 * of N images in rows {@code 0..N-1}, view 2 in {@code N..2N-1}), keys {@code k [2N, D]} in the same layout, and the
 * queue {@code [K, D]} of earlier keys (unit rows); output {@code [2N, 1 + K]}:
 * <pre>
 *   qn = q / |q|,  kn = k / |k|                            (row-wise)
 *   logits[i, 0]     = qn_i . kn_pair(i) / T               pair(i) = i + N for i &lt; N, i - N otherwise
 *   logits[i, 1 + j] = qn_i . queue_j / T
 * </pre>
 * so that cross-entropy with target 0 on every row (the graph's {@code SparseSoftmaxCrossEntropy} with zero labels) is
 * InfoNCE of each view's query against the other view's key, the queue holding the negatives. Backward: only the
 * queries get a gradient; the keys come from the frozen momentum encoder and the queue is an input, so both get none.
 *
 * @see InfoNceLogitsVertex
 */
public final class InfoNceLogits extends ParameterFreeVertex {
  private static final long serialVersionUID = 1L;

  private double temperature = 0.2;
  private int queueSize = 1;

  /** For JSON. */
  public InfoNceLogits() {
  }

  /**
   * @param temperature T, finite and &gt; 0
   * @param queueSize K, the queue's rows, &gt;= 1
   */
  public InfoNceLogits(double temperature, int queueSize) {
    setTemperature(temperature);
    setQueueSize(queueSize);
  }

  public int getQueueSize() {
    return queueSize;
  }

  public void setQueueSize(int queueSize) {
    if (queueSize < 1) {
      throw new IllegalArgumentException("InfoNCE queue size " + queueSize + " is invalid: must be >= 1");
    }
    this.queueSize = queueSize;
  }

  public double getTemperature() {
    return temperature;
  }

  public void setTemperature(double temperature) {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("InfoNCE temperature " + temperature + " is invalid: must be finite and > 0");
    }
    this.temperature = temperature;
  }

  @Override
  public InfoNceLogits clone() {
    return new InfoNceLogits(temperature, queueSize);
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && ((InfoNceLogits) o).temperature == temperature && ((InfoNceLogits) o).queueSize == queueSize;
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(temperature) + queueSize;
  }

  @Override
  protected int inputCount() {
    return 3;
  }

  @Override
  protected org.deeplearning4j.nn.graph.vertex.GraphVertex create(ComputationGraph graph, String name, int index, DataType dataType) {
    return new InfoNceLogitsVertex(graph, name, index, dataType, temperature, queueSize);
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
    return InputType.feedForward(1L + queueSize);
  }

  @Override
  public String toString() {
    return "InfoNceLogits(T=" + temperature + ", K=" + queueSize + ")";
  }
}
