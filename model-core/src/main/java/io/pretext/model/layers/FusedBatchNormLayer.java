package io.pretext.model.layers;

import java.util.List;

import io.pretext.model.backend.DirectOneDnn;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layer of a {@link FusedBatchNorm} configuration: batch normalisation over the channels of NCHW or NHWC
 * activations (or {@code [N, C]}), then (if configured) a ReLU, forward and backward, with DL4J's
 * {@code BatchNormalization} semantics (biased batch variance for normalising and for the running estimate, the
 * running estimate updated through its "gradient" {@code (1 - decay) * (running - batch)} as DL4J does for
 * distributed training).
 *
 * <p>Why it is faster than DL4J's layer plus an {@code ActivationLayer} (numbers in docs/performance.md): every pass
 * over the activations is a reduction along contiguous rows, a matrix-vector product, or an element-wise /
 * per-channel broadcast op, the fast kinds in libnd4j; none is a reduction over strided dimensions (DL4J's helper
 * computes the batch variance over {@code (0, 2, 3)}, the slowest op of a step) and no legacy broadcast along
 * dimension 1. With {@code M = N*H*W} values per channel:
 * <pre>
 *   forward (training):  mean = sum x / M         y = x - mean        var = sum y^2 / M     invStd = 1/sqrt(var + eps)
 *                        y = y * (gamma * invStd) + beta;  y = max(y, 0)                 (in place: the layer output)
 *   backward:            g = eps * [y &gt; 0]     dBeta = sum g       dGamma = sum g * (x - mean) * invStd
 *                        dx = gamma * invStd * (g - dBeta / M - (x - mean) * invStd * dGamma / M)
 * </pre>
 * The variance is computed from the centred input (two passes), not as {@code E[x^2] - mean^2}. Per-channel sums:
 * NCHW along the rows {@code [N*C, H*W]}; NHWC as {@code ones[1, N] x [N, H*W*C]}. Output and gradients are in the
 * graph's workspaces; the per-channel statistics ({@code [C]}) live outside them, reused between calls.
 *
 * <p>On the CPU with FLOAT activations the layer calls oneDNN's batch normalisation directly instead
 * ({@link OneDnnBatchNorm}, {@link DirectOneDnn}): statistics, normalisation, ReLU and every gradient in oneDNN's
 * kernels, about five times faster than the passes above (docs/performance.md). The ND4J path above stays for
 * every other case (DOUBLE for gradient checks, CUDA, a platform without the oneDNN presets, or
 * {@code -Dpretext.onednn.direct.disable=true}); both compute the same within float rounding (tests compare both
 * with DL4J's layers).
 */
public class FusedBatchNormLayer extends BatchNormalization {

  private static final long serialVersionUID = 1L;
  private static final double ONE_ON_2LN10 = 1.0 / (2 * Math.log(10.0));

  /** Batch statistics of the last training forward pass, {@code [C]}, outside workspaces. */
  private INDArray batchMean;
  private INDArray batchVar;
  private INDArray invStd;
  /** Output of the last training forward pass (post-ReLU), for the ReLU mask in backprop. */
  private INDArray lastOutput;
  /** Whether the last training-mode forward pass normalised with the running statistics ({@link FusedBatchNorm#isFixedStatistics()}). */
  private boolean lastFixed;
  /** {@code [1, N]} of ones for the channels-last sums, outside workspaces. */
  private INDArray ones;
  /** oneDNN's batch norm for the last shape seen ({@link DirectOneDnn}); rebuilt when the shape changes. */
  private transient OneDnnBatchNorm kernel;
  /** Whether the last forward pass ran on {@link #kernel} (then so does the backward pass). */
  private boolean lastDirect;

  public FusedBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    // DL4J attaches its batch-norm helper in the super constructor; this class never calls it (getHelper: null)
  }

  private FusedBatchNorm fusedConf() {
    return (FusedBatchNorm) layerConf();
  }

  @Override
  public LayerHelper getHelper() {
    return null;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    INDArray x = contiguous(input.castTo(dataType));
    Layout l = layout(x);
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    if (training) {
      ensureStatistics(l);
    }
    if (training && fusedConf().isFixedStatistics()) {
      lastDirect = false;
      lastFixed = true;
      forwardOnNd4j(x, l, out, false, workspaceMgr);
      lastOutput = out;
      return out;
    }
    lastFixed = false;
    lastDirect = DirectOneDnn.accepts(dataType);
    int groups = fusedConf().getGroups();
    if (training && groups > 1) {
      forwardInGroups(x, out, groups, workspaceMgr);
      lastOutput = null; // forward only: backpropGradient refuses
      return out;
    }
    if (lastDirect) {
      forwardOnOneDnn(x, l, out, training);
    } else {
      forwardOnNd4j(x, l, out, training, workspaceMgr);
    }
    lastOutput = training ? out : null;
    return out;
  }

  /**
   * Split batch norm ({@link FusedBatchNorm#getGroups()}): the rows in {@code groups} contiguous blocks, each
   * normalised with its own batch statistics by the ordinary forward pass. Rows are the first dimension, so each block
   * of a C-order array is itself contiguous.
   */
  private void forwardInGroups(INDArray x, INDArray out, int groups, LayerWorkspaceMgr workspaceMgr) {
    long n = x.size(0);
    if (n % groups != 0) {
      throw new IllegalArgumentException("FusedBatchNorm layer '" + layerConf().getLayerName() + "': " + n
          + " rows cannot be split into " + groups + " equal batch-norm groups");
    }
    long rows = n / groups;
    for (int g = 0; g < groups; g++) {
      INDArrayIndex block = NDArrayIndex.interval(g * rows, (g + 1) * rows);
      INDArray xg = x.get(rowsOf(x, block));
      INDArray outg = out.get(rowsOf(out, block));
      Layout lg = layout(xg);
      if (lastDirect) {
        forwardOnOneDnn(xg, lg, outg, true);
      } else {
        forwardOnNd4j(xg, lg, outg, true, workspaceMgr);
      }
    }
  }

  private static INDArrayIndex[] rowsOf(INDArray a, INDArrayIndex rows) {
    INDArrayIndex[] index = new INDArrayIndex[a.rank()];
    index[0] = rows;
    for (int i = 1; i < index.length; i++) {
      index[i] = NDArrayIndex.all();
    }
    return index;
  }

  /** {@link #activate} on oneDNN: batch statistics into {@link #batchMean} / {@link #batchVar} when training. */
  private void forwardOnOneDnn(INDArray x, Layout l, INDArray out, boolean training) {
    OneDnnBatchNorm k = kernel(x, l);
    INDArray gamma = getParam(BatchNormalizationParamInitializer.GAMMA).reshape(l.c());
    INDArray beta = getParam(BatchNormalizationParamInitializer.BETA).reshape(l.c());
    if (training) {
      k.forwardTraining(x, gamma, beta, out, batchMean, batchVar);
    } else {
      k.forwardInference(x, gamma, beta, dense(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN)),
          dense(runningVariance()), out);
    }
  }

  /** {@link #activate} on ND4J ops (the passes of the class comment). */
  private void forwardOnNd4j(INDArray x, Layout l, INDArray out, boolean training, LayerWorkspaceMgr workspaceMgr) {
    INDArray x3 = l.view(x);
    INDArray out3 = l.view(out);
    INDArray gamma = l.perChannel(getParam(BatchNormalizationParamInitializer.GAMMA));
    INDArray beta = l.perChannel(getParam(BatchNormalizationParamInitializer.BETA));
    double eps = layerConf().getEps();
    if (training) {
      channelSum(l, x3, batchMean, ArrayType.FF_WORKING_MEM, workspaceMgr);
      batchMean.divi(l.m());
      Nd4j.exec(new SubOp(x3, l.perChannel(batchMean), out3));
      channelSumOfProducts(l, out3, out3, batchVar, ArrayType.FF_WORKING_MEM, workspaceMgr);
      batchVar.divi(l.m());
      invStd.assign(Transforms.pow(batchVar.add(eps), -0.5, false));
      Nd4j.exec(new MulOp(out3, gamma.mul(l.perChannel(invStd)), out3));
      Nd4j.exec(new AddOp(out3, beta, out3));
    } else {
      INDArray scale = gamma.mul(Transforms.pow(l.perChannel(runningVariance()).add(eps), -0.5, false));
      INDArray shift = beta.sub(l.perChannel(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN)).mul(scale));
      Nd4j.exec(new MulOp(x3, scale, out3));
      Nd4j.exec(new AddOp(out3, shift, out3));
    }
    if (fusedConf().isRelu()) {
      Nd4j.exec(new RectifiedLinear(out, out, 0.0));
    }
  }

  @Override
  public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
    INDArray saved = input;
    setInput(x, workspaceMgr);
    try {
      return activate(training == TrainingMode.TRAIN, workspaceMgr);
    } finally {
      setInput(saved, workspaceMgr);
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (fusedConf().getGroups() > 1) {
      throw new UnsupportedOperationException("FusedBatchNorm layer '" + layerConf().getLayerName() + "' splits its batch into "
          + fusedConf().getGroups() + " groups, which is forward only (frozen momentum encoders); it cannot be trained");
    }
    if (lastOutput == null || batchMean == null) {
      throw new IllegalStateException("FusedBatchNorm layer '" + layerConf().getLayerName()
          + "': backpropGradient without a training-mode forward pass first");
    }
    INDArray x = contiguous(input.castTo(dataType));
    INDArray eps = contiguous(epsilon.castTo(dataType));
    Layout l = layout(x);
    long c = l.c();
    INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
    INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
    Gradient gradient = new DefaultGradient();
    gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
    gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    if (lastFixed) {
      backwardFixed(x, eps, l, dx, dGamma.reshape(c), dBeta.reshape(c), workspaceMgr);
      for (String stat : List.of(BatchNormalizationParamInitializer.GLOBAL_MEAN, layerConf().isUseLogStd()
          ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD : BatchNormalizationParamInitializer.GLOBAL_VAR)) {
        INDArray unchanged = gradientViews.get(stat).assign(0); // the running statistics stay
        gradient.setGradientFor(stat, unchanged);
      }
      lastOutput = null;
      return new Pair<>(gradient, dx);
    }
    if (lastDirect) {
      kernel.backward(x, eps, getParam(BatchNormalizationParamInitializer.GAMMA).reshape(c),
          getParam(BatchNormalizationParamInitializer.BETA).reshape(c), batchMean, batchVar, dx, dGamma.reshape(c),
          dBeta.reshape(c));
    } else {
      backwardOnNd4j(x, eps, l, dx, dGamma.reshape(c), dBeta.reshape(c), workspaceMgr);
    }
    runningStatisticsUpdate(gradient, c);
    lastOutput = null;
    return new Pair<>(gradient, dx);
  }

  /**
   * {@code g = eps * [out > 0]}, the ReLU's gradient, in working memory (eps itself may be shared with other vertices);
   * {@code eps} itself without a ReLU.
   */
  private INDArray reluGradient(INDArray eps, INDArray x, LayerWorkspaceMgr workspaceMgr) {
    if (!fusedConf().isRelu()) {
      return eps;
    }
    INDArray g = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
    Nd4j.exec(new Step(lastOutput, g, 0.0));
    Nd4j.exec(new MulOp(g, eps, g));
    return g;
  }

  /**
   * The backward pass of the fixed-statistics forward pass, {@code y = max(gamma * (x - mu) * s + beta, 0)} with the
   * running mean {@code mu} and {@code s = 1 / sqrt(var + eps)} constants: {@code g = eps * [y > 0]},
   * {@code dx = g * gamma * s}, {@code dGamma = sum g * (x - mu) * s}, {@code dBeta = sum g}.
   */
  private void backwardFixed(INDArray x, INDArray eps, Layout l, INDArray dx, INDArray dGamma, INDArray dBeta,
                             LayerWorkspaceMgr workspaceMgr) {
    INDArray g3 = l.view(reluGradient(eps, x, workspaceMgr));
    INDArray s = Transforms.pow(runningVariance().reshape(l.c()).add(layerConf().getEps()), -0.5, false);
    channelSum(l, g3, dBeta, ArrayType.BP_WORKING_MEM, workspaceMgr);
    INDArray centred = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
    INDArray centred3 = l.view(centred);
    Nd4j.exec(new SubOp(l.view(x), l.perChannel(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN)), centred3));
    channelSumOfProducts(l, g3, centred3, dGamma, ArrayType.BP_WORKING_MEM, workspaceMgr);
    dGamma.muli(s);
    INDArray a = getParam(BatchNormalizationParamInitializer.GAMMA).reshape(l.c()).mul(s);
    Nd4j.exec(new MulOp(g3, l.perChannel(a), l.view(dx)));
  }

  /** {@link #backpropGradient} on ND4J ops: {@code dx}, {@code dGamma}, {@code dBeta} ({@code [C]}) from {@code eps}. */
  private void backwardOnNd4j(INDArray x, INDArray eps, Layout l, INDArray dx, INDArray dGamma, INDArray dBeta,
                              LayerWorkspaceMgr workspaceMgr) {
    INDArray g3 = l.view(reluGradient(eps, x, workspaceMgr));
    channelSum(l, g3, dBeta, ArrayType.BP_WORKING_MEM, workspaceMgr);

    INDArray centred = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
    INDArray centred3 = l.view(centred);
    Nd4j.exec(new SubOp(l.view(x), l.perChannel(batchMean), centred3));
    channelSumOfProducts(l, g3, centred3, dGamma, ArrayType.BP_WORKING_MEM, workspaceMgr);
    dGamma.muli(invStd);

    // dx = a * g + b * (x - mean) + d, per channel: a = gamma * invStd, b = -a * invStd * dGamma / M,
    // d = -a * dBeta / M
    INDArray a = getParam(BatchNormalizationParamInitializer.GAMMA).reshape(l.c()).mul(invStd);
    INDArray b = a.mul(invStd).muli(dGamma).muli(-1.0 / l.m());
    INDArray d = a.mul(dBeta).muli(-1.0 / l.m());
    INDArray dx3 = l.view(dx);
    Nd4j.exec(new MulOp(centred3, l.perChannel(b), centred3));
    Nd4j.exec(new AddOp(centred3, l.perChannel(d), centred3));
    Nd4j.exec(new MulOp(g3, l.perChannel(a), dx3));
    Nd4j.exec(new AddOp(dx3, centred3, dx3));
  }

  /**
   * How an activation is viewed: {@code [N, C, S]} for NCHW ({@code S = H*W}), {@code [N, S, C]} for NHWC and for
   * {@code [N, C]} input ({@code S = 1}). {@code M = N*S} values per channel.
   */
  private record Layout(long n, long c, long s, boolean channelsLast) {

    INDArray view(INDArray a) {
      return channelsLast ? a.reshape('c', n, s, c) : a.reshape('c', n, c, s);
    }

    /** A {@code [C]} (or {@code [1, C]}) vector shaped to broadcast against {@link #view}. */
    INDArray perChannel(INDArray v) {
      return channelsLast ? v.reshape(1, 1, c) : v.reshape(1, c, 1);
    }

    double m() {
      return (double) n * s;
    }
  }

  private Layout layout(INDArray x) {
    long n = x.size(0);
    boolean channelsLast = x.rank() == 2 || layerConf().getCnn2DFormat() == CNN2DFormat.NHWC;
    long c = channelsLast ? x.size(x.rank() - 1) : x.size(1);
    if (c != layerConf().getNOut() || (x.rank() != 2 && x.rank() != 4)) {
      throw new IllegalArgumentException("FusedBatchNorm layer '" + layerConf().getLayerName() + "': input shape "
          + java.util.Arrays.toString(x.shape()) + " has " + c + " channels, expected " + layerConf().getNOut()
          + "; the input must be [N, C] or " + layerConf().getCnn2DFormat() + " with C = " + layerConf().getNOut());
    }
    return new Layout(n, c, x.length() / (n * c), channelsLast);
  }

  /**
   * {@code result[c] = sum of a over everything but the channel}, {@code a} as {@link Layout#view}. Channels first:
   * along the contiguous rows {@code [N*C, S]}, then over N. Channels last: {@code ones[1, N] x a[N, S*C]} (a
   * matrix-vector product, which streams through memory; a reduction over dimension 0 is strided and several times
   * slower), then over S.
   */
  private void channelSum(Layout l, INDArray a, INDArray result, ArrayType work, LayerWorkspaceMgr mgr) {
    if (!l.channelsLast()) {
      INDArray rows = mgr.createUninitialized(work, dataType, l.n() * l.c());
      Nd4j.exec(new Sum(a.reshape('c', l.n() * l.c(), l.s()), rows, 1));
      rows.reshape('c', l.n(), l.c()).sum(result, 0);
      return;
    }
    INDArray ones = ones(l.n());
    if (l.s() == 1) {
      ones.mmul(a.reshape('c', l.n(), l.c()), result.reshape(1, l.c()));
      return;
    }
    INDArray partial = mgr.createUninitialized(work, dataType, new long[] {1, l.s() * l.c()}, 'c');
    ones.mmul(a.reshape('c', l.n(), l.s() * l.c()), partial);
    partial.reshape('c', l.s(), l.c()).sum(result, 0);
  }

  /** {@code result[c] = sum of a * b over everything but the channel} ({@code a == b}: sum of squares). */
  private void channelSumOfProducts(Layout l, INDArray a, INDArray b, INDArray result, ArrayType work,
                                    LayerWorkspaceMgr mgr) {
    if (!l.channelsLast()) {
      INDArray rows = mgr.createUninitialized(work, dataType, l.n() * l.c());
      INDArray ra = a.reshape('c', l.n() * l.c(), l.s());
      Nd4j.exec(a == b ? new SquaredNorm(ra, rows, 1) : new Dot(ra, b.reshape('c', l.n() * l.c(), l.s()), rows, 1));
      rows.reshape('c', l.n(), l.c()).sum(result, 0);
      return;
    }
    INDArray product = mgr.createUninitialized(work, dataType, a.shape(), 'c');
    Nd4j.exec(new MulOp(a, b, product));
    channelSum(l, product, result, work, mgr);
  }

  /** {@code [1, n]} of ones, kept outside workspaces and reused while the minibatch size stays. */
  private INDArray ones(long n) {
    if (ones == null || ones.length() != n || ones.dataType() != dataType) {
      try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        ones = Nd4j.ones(dataType, 1, n);
      }
    }
    return ones;
  }

  /**
   * The running mean and variance "gradients", exactly as DL4J's BatchNormalization computes them: the parameters
   * have a no-op updater, so {@code param - gradient} is the new running value.
   */
  private void runningStatisticsUpdate(Gradient gradient, long c) {
    double decay = layerConf().getDecay();
    INDArray mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    INDArray dMean = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    Nd4j.exec(new SubOp(mean.reshape(c), batchMean, dMean.reshape(c)));
    dMean.muli(1 - decay);
    gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dMean);
    if (layerConf().isUseLogStd()) {
      // log10(std) parameterisation: the update is log10(std[t]) - log10(std[t+1]) = 0.5 * ln(var[t] / var[t+1]) / ln 10
      INDArray varT = runningVariance().reshape(c);
      INDArray varNext = varT.mul(decay).addi(batchVar.mul(1 - decay));
      INDArray dLogStd = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
      Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp(varT, varNext,
          dLogStd.reshape(c)));
      Transforms.log(dLogStd, false);
      dLogStd.muli(ONE_ON_2LN10);
      gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dLogStd);
    } else {
      INDArray var = getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
      INDArray dVar = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
      Nd4j.exec(new SubOp(var.reshape(c), batchVar, dVar.reshape(c)));
      dVar.muli(1 - decay);
      gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, dVar);
    }
  }

  /** The running variance ({@code [1, C]}), from whichever parameterisation the configuration uses. */
  private INDArray runningVariance() {
    if (layerConf().isUseLogStd()) {
      INDArray log10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
      INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, dataType), log10Std, false);
      return std.muli(std);
    }
    return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
  }

  private void ensureStatistics(Layout l) {
    long c = l.c();
    if (batchMean == null || batchMean.length() != c || batchMean.dataType() != dataType) {
      try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        batchMean = Nd4j.create(dataType, c);
        batchVar = Nd4j.create(dataType, c);
        invStd = Nd4j.create(dataType, c);
      }
    }
  }

  /** Whether the last forward pass ran on oneDNN directly (tests: which path ran). */
  boolean lastRanOnOneDnn() {
    return lastDirect;
  }

  private OneDnnBatchNorm kernel(INDArray x, Layout l) {
    boolean channelsLast = l.channelsLast() && x.rank() == 4;
    if (kernel == null || !kernel.fits(x.shape(), channelsLast)) {
      kernel = new OneDnnBatchNorm(x.shape(), channelsLast, fusedConf().isRelu(), layerConf().getEps());
    }
    return kernel;
  }

  /** A {@code [C]} dense copy or view of a per-channel vector, for oneDNN. */
  private static INDArray dense(INDArray v) {
    return contiguous(v.reshape(v.length()));
  }

  private static INDArray contiguous(INDArray a) {
    return DirectOneDnn.isDenseC(a) ? a : a.dup('c');
  }
}
