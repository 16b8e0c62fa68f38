package io.pretext.model.method.gan;

import io.pretext.model.InputShape;
import io.pretext.model.decoder.ConvDecoder;
import io.pretext.model.layers.FusedBatchNorm;
import io.pretext.model.layers.InputConvolution;
import io.pretext.model.method.SslMethod;
import io.pretext.model.optim.WarmupCosineSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The generator on a worker, inside the graph its step runs through: {@code noise [N, Z] -> generator -> image
 * [N, C, H, W] -> discriminator -> logit -> LogitBce}, the discriminator a copy of the run's graph (every vertex but
 * its image input, rewired to the generator's image), with the run's first convolution made an ordinary one
 * ({@link InputConvolution#ordinary()}: here its input needs a gradient) and its batch norm on the running statistics
 * ({@link FusedBatchNorm#isFixedStatistics()}).
 *
 * <p>The generator's step (Goodfellow et al. 2014's non-saturating loss, {@code -log D(G(z))}): the discriminator's
 * parameters are copied in from the run's graph (its latest, after the discriminator's step), the graph computes the
 * gradient of the loss with the target "real", and only the generator's part of it is applied, by the generator's own Adam
 * ({@link GanConfig#BETA1}, the run's cosine schedule at {@link GanConfig#generatorLr()}); the discriminator's gradient
 * is dropped and its copy here is never updated. DL4J's graph gradients are sums over the minibatch (its updater divides
 * by the batch size), so the generator's is divided here. The generator's batch norms (DCGAN's, {@link
 * ConvDecoder#PARAMETER_LAYERS_BN}) normalise with the batch's statistics in both passes, and their running mean and
 * variance, what sampling uses, move by their DL4J "gradients" as DL4J's updater moves them, outside Adam.
 *
 * <p>Batch norm: the discriminator's step normalises its real and generated images together, with the statistics of
 * that mixed batch. Normalising the generated images alone in the generator's step (DCGAN's {@code netD(fake)} in
 * training mode, whose discriminator step also sees them alone) measured them against other statistics than the ones
 * the discriminator had just learned to separate them with: on Fashion-MNIST its loss fell to 0.02 within the first
 * epoch and the generator stalled. With the running statistics, a moving average of the mixed batches, both steps see
 * the images the same way.
 *
 * <p>Not thread-safe; one instance per worker and round.
 */
final class GeneratorGraph {
  /** The input of the generator's graphs. */
  static final String NOISE = "noise";
  /** Prefix of the generator's layers. */
  static final String PREFIX = "generator_";
  /** The generator's parameter layers, in the order its state lists their parameters. */
  static final List<String> PARAMETER_LAYERS = ConvDecoder.PARAMETER_LAYERS_BN.stream().map(l -> PREFIX + l).toList();

  private final ComputationGraph graph;
  private final String image;
  private final List<String> discriminatorLayers = new ArrayList<>();
  /** Offsets {@code [from, to)} in the generator's flat parameters of its batch norms' running mean and variance. */
  private final List<long[]> runningStatistics = new ArrayList<>();
  private final int parameters;
  private final INDArray adamState;
  private final GradientUpdater adam;
  private final InputShape shape;
  private final int noiseDim;

  private GeneratorGraph(ComputationGraph graph, String image, InputShape shape, int noiseDim, Adam adamConfig, GeneratorState.Snapshot start) {
    this.graph = graph;
    this.image = image;
    this.shape = shape;
    this.noiseDim = noiseDim;
    int n = 0;
    for (String l : PARAMETER_LAYERS) {
      Layer layer = graph.getLayer(l);
      if (layer.conf().getLayer() instanceof FusedBatchNorm) { // gamma, beta, then the running mean and variance
        long c = layer.numParams() / 4;
        runningStatistics.add(new long[] {n + 2 * c, n + 4 * c});
      }
      n += (int) layer.numParams();
    }
    this.parameters = n;
    for (Layer l : graph.getLayers()) {
      String name = l.conf().getLayer().getLayerName();
      if (l.numParams() > 0 && !name.startsWith(PREFIX)) {
        discriminatorLayers.add(name);
      }
    }
    DataType type = graph.params().dataType();
    this.adamState = Nd4j.zeros(type, 1, adamConfig.stateSize(n));
    if (start != null) {
      if (!start.shape().equals(shape) || start.noiseDim() != noiseDim || start.parameters() != n) {
        throw new IllegalStateException("the driver's generator (" + start.shape() + " images, noise " + start.noiseDim() + ", "
            + start.parameters() + " parameters) does not fit this run's (" + shape + ", " + noiseDim + ", " + n + ")");
      }
      scatter(graph, Nd4j.create(Arrays.copyOfRange(start.values(), 0, n), new long[] {1, n}, 'c').castTo(type), INDArray::assign);
      adamState.assign(Nd4j.create(Arrays.copyOfRange(start.values(), n, 3 * n), new long[] {1, 2L * n}, 'c').castTo(type));
    }
    this.adam = adamConfig.instantiate(adamState, start == null);
  }

  /**
   * The generator's graph for {@code run}, a GAN's graph.
   *
   * @param shape the images the run trains on
   * @param seed initialises the generator (every worker the same) when {@code start} is null
   * @param totalIterations the length of the cosine schedule of the generator's learning rate
   * @param start the driver's generator, or null before the first round
   */
  static GeneratorGraph of(ComputationGraph run, InputShape shape, GanConfig config, long seed, long totalIterations,
      GeneratorState.Snapshot start) {
    DataType type = run.params().dataType();
    ComputationGraphConfiguration runConf = run.getConfiguration();
    GraphBuilder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(type).updater(new NoOp()).graphBuilder()
        .addInputs(NOISE).setInputTypes(InputType.feedForward(config.noiseDim()));
    String image = config.generator().addImage(b, PREFIX, NOISE, shape, Activation.SIGMOID, true);
    for (Map.Entry<String, GraphVertex> e : runConf.getVertices().entrySet()) {
      GraphVertex v = e.getValue().clone();
      if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof InputConvolution input) {
        lv.getLayerConf().setLayer(input.ordinary());
      }
      if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof FusedBatchNorm bn) {
        bn.setFixedStatistics(true);
      }
      List<String> inputs = runConf.getVertexInputs().get(e.getKey()).stream().map(i -> i.equals(SslMethod.INPUT) ? image : i).toList();
      b.addVertex(e.getKey(), v, inputs.toArray(String[]::new));
    }
    b.setOutputs(runConf.getNetworkOutputs().toArray(String[]::new));
    ComputationGraph graph = new ComputationGraph(b.build());
    graph.init();
    Adam adam = Adam.builder().learningRateSchedule(WarmupCosineSchedule.iterations(config.generatorLr(), 0, (int) Math.max(1,
        totalIterations))).beta1(GanConfig.BETA1).build();
    return new GeneratorGraph(graph, image, shape, config.noiseDim(), adam, start);
  }

  /**
   * Generated images {@code [N, C, H, W]} for {@code noise [N, Z]}, detached, in training mode (the generator's batch
   * norm on the batch's statistics, as DCGAN trains it): the images the generator's step then sees again.
   */
  INDArray generate(INDArray noise) {
    Layer[] layers = graph.getLayers();
    Layer target = graph.getLayer(image);
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] == target) {
        return graph.feedForward(new INDArray[] {noise.castTo(graph.params().dataType())}, i, true).get(image);
      }
    }
    throw new IllegalStateException("the generator's graph has no layer " + image);
  }

  /**
   * One generator step against the run's current discriminator.
   *
   * @param iteration the step's index in the run (Adam's bias correction and the schedule)
   * @return the generator's loss before the step, {@code mean -log D(G(z))}
   */
  double step(ComputationGraph run, INDArray noise, int iteration, int epoch) {
    for (String l : discriminatorLayers) {
      graph.getLayer(l).params().assign(run.getLayer(l).params());
    }
    DataType type = graph.params().dataType();
    long n = noise.size(0);
    graph.setInputs(noise.castTo(type));
    graph.setLabels(Nd4j.ones(type, n, 1));
    graph.computeGradientAndScore();
    double loss = graph.score() - graph.calcRegularizationScore(true);
    INDArray gradient = gather(Layer::getGradientsViewArray).divi(n);
    // batch norm's running mean and variance: their "gradients" are the updates themselves (DL4J's no-op updater,
    // never divided by the batch), not Adam's business
    List<INDArray> running = new ArrayList<>();
    for (long[] r : runningStatistics) {
      INDArray span = span(gradient, r[0], r[1]);
      running.add(span.mul(n));
      span.assign(0);
    }
    adam.applyUpdater(gradient, iteration, epoch);
    for (int i = 0; i < running.size(); i++) {
      span(gradient, runningStatistics.get(i)[0], runningStatistics.get(i)[1]).assign(running.get(i));
    }
    scatter(graph, gradient, INDArray::subi);
    graph.clearLayersStates();
    return loss;
  }

  /** The generator's parameters {@code [1, P]}, in {@link #PARAMETER_LAYERS} order (a copy). */
  INDArray generatorParameters() {
    return gather(Layer::params);
  }

  /** What {@code part} reads of each generator layer, concatenated in {@link #PARAMETER_LAYERS} order: {@code [1, P]}. */
  private INDArray gather(Function<Layer, INDArray> part) {
    INDArray out = Nd4j.create(graph.params().dataType(), 1, parameters);
    long offset = 0;
    for (String l : PARAMETER_LAYERS) {
      INDArray a = part.apply(graph.getLayer(l));
      span(out, offset, offset + a.length()).assign(a.reshape(a.length()));
      offset += a.length();
    }
    return out;
  }

  /** {@code op(parameters, slice)} for each generator layer of {@code g} and its slice of {@code flat [1, P]}, in order. */
  private static void scatter(ComputationGraph g, INDArray flat, BiConsumer<INDArray, INDArray> op) {
    long offset = 0;
    for (String l : PARAMETER_LAYERS) {
      INDArray p = g.getLayer(l).params();
      op.accept(p, span(flat, offset, offset + p.length()).reshape(p.shape()));
      offset += p.length();
    }
  }

  private static INDArray span(INDArray row, long from, long to) {
    return row.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to));
  }

  /** The generator and its Adam state as the driver keeps it. */
  GeneratorState.Snapshot snapshot() {
    float[] values = new float[3 * parameters];
    System.arraycopy(generatorParameters().castTo(DataType.FLOAT).dup('c').data().asFloat(), 0, values, 0, parameters);
    System.arraycopy(adamState.castTo(DataType.FLOAT).dup('c').data().asFloat(), 0, values, parameters, 2 * parameters);
    return new GeneratorState.Snapshot(shape, noiseDim, parameters, values);
  }

  /** The whole graph (tests). */
  ComputationGraph graph() {
    return graph;
  }

  /**
   * A generator alone, {@code noise -> image}, with the parameters of {@code saved}: for sampling from a checkpoint.
   */
  static ComputationGraph standalone(GanConfig config, GeneratorState.Snapshot saved, DataType type) {
    if (saved.noiseDim() != config.noiseDim()) {
      throw new IllegalArgumentException("the checkpoint's generator takes noise of width " + saved.noiseDim() + ", the run's options say "
          + config.noiseDim());
    }
    ComputationGraph g = config.generator().imageGraph(PREFIX, config.noiseDim(), saved.shape(), type,
        Activation.SIGMOID.getActivationFunction(), true);
    long size = PARAMETER_LAYERS.stream().mapToLong(l -> g.getLayer(l).numParams()).sum();
    if (size != saved.parameters()) {
      throw new IllegalArgumentException("the checkpoint's generator has " + saved.parameters() + " parameters, this generator " + size);
    }
    scatter(g, Nd4j.create(Arrays.copyOfRange(saved.values(), 0, saved.parameters()), new long[] {1, size}, 'c').castTo(type),
        INDArray::assign);
    return g;
  }
}
