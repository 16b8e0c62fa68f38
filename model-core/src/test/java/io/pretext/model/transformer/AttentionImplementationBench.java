package io.pretext.model.transformer;

import io.pretext.model.backend.NativeThreads;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * Why the Transformer layers are hand-written: forward + backward + Adam step ({@code ComputationGraph.fit}) of
 * DL4J 1.0.0-M2.1's SameDiff-based {@link SelfAttentionLayer} (multi-head attention with input projections, no biases,
 * nothing else) against Pretext's {@link TransformerBlock} (attention with biases, output projection, two LayerNorms and
 * the GELU feed-forward), both on a bert-tiny-sized masked minibatch: 128 sequences of 8..40 tokens padded to 40,
 * hidden 128, 2 heads. Prints ms per step, best and median of {@code --repeats} runs of {@code --steps} steps.
 *
 * <pre>
 * java -cp ... io.pretext.model.transformer.AttentionImplementationBench [--threads 1] [--steps 10] [--repeats 3]
 * </pre>
 */
public final class AttentionImplementationBench {

  private AttentionImplementationBench() {
  }

  public static void main(String[] args) {
    int threads = 1;
    int steps = 10;
    int repeats = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    NativeThreads.set(threads);
    int n = 128;
    int t = 40;
    int h = 128;
    java.util.Random rng = new java.util.Random(1);
    INDArray mask = Nd4j.zeros(DataType.FLOAT, n, t);
    for (int i = 0; i < n; i++) {
      int len = 8 + rng.nextInt(33);
      mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, len)).assign(1);
    }
    // SameDiff attention: NCW [N, H, T] in and out.
    ComputationGraph sameDiff = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
        .graphBuilder().addInputs("in").setInputTypes(InputType.recurrent(h, t, RNNFormat.NCW))
        .addLayer("attention", new SelfAttentionLayer.Builder().nIn(h).nOut(h).nHeads(2).projectInput(true).build(), "in")
        .addLayer("loss", new RnnLossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "attention")
        .setOutputs("loss").build());
    sameDiff.init();
    INDArray ncw = Nd4j.randn(DataType.FLOAT, n, h, t);
    MultiDataSet sdBatch = new MultiDataSet(new INDArray[] {ncw}, new INDArray[] {Nd4j.randn(DataType.FLOAT, n, h, t)},
        new INDArray[] {mask}, new INDArray[] {mask});
    // Hand-written block: NWC [N, T, H], pooled to [N, H] for a loss.
    ComputationGraph handWritten = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
        .graphBuilder().addInputs("in")
        .addLayer("block", new TransformerBlock(h, 2, 4 * h, 0.1, 0.1), "in")
        .addLayer("pool", new MaskedMeanPooling(), "block")
        .addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "pool")
        .setOutputs("loss").build());
    handWritten.init();
    MultiDataSet hwBatch = new MultiDataSet(new INDArray[] {Nd4j.randn(DataType.FLOAT, n, t, h)},
        new INDArray[] {Nd4j.randn(DataType.FLOAT, n, h)}, new INDArray[] {mask}, null);
    System.out.printf(Locale.ROOT, "threads %d, minibatch [%d, %d, %d], %d real tokens%n", threads, n, t, h,
        mask.sumNumber().intValue());
    report("DL4J SelfAttentionLayer (SameDiff), attention only", time(() -> sameDiff, sdBatch, steps, repeats));
    report("Pretext TransformerBlock, whole block", time(() -> handWritten, hwBatch, steps, repeats));
  }

  private static double[] time(Supplier<ComputationGraph> graph, MultiDataSet batch, int steps, int repeats) {
    ComputationGraph g = graph.get();
    for (int i = 0; i < 2; i++) {
      g.fit(batch);
    }
    double[] ms = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        g.fit(batch);
      }
      ms[r] = (System.nanoTime() - t0) / 1e6 / steps;
    }
    return ms;
  }

  private static void report(String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "  %-52s best %7.1f ms/step, median %7.1f (runs %s)%n", what, s[0], s[s.length / 2],
        Arrays.toString(Arrays.stream(ms).map(x -> Math.round(x * 10) / 10.0).toArray()));
  }
}
