package io.pretext.model.layers;

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
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The layer of a {@link FusedBatchNorm} configuration: batch normalisation over the channels of NCHW activations,
 * then (if configured) a ReLU, forward and backward, with DL4J's {@code BatchNormalization} semantics (biased batch
 * variance for normalising and for the running estimate, the running estimate updated through its "gradient"
 * {@code (1 - decay) * (running - batch)} as DL4J does for distributed training).
 *
 * <p>Why it is faster than DL4J's layer plus an {@code ActivationLayer} (numbers in docs/performance.md): every pass
 * over the activations is either a reduction along contiguous rows or an element-wise / channel-broadcast op, the
 * fast kinds in libnd4j; none is a reduction over the strided dimensions {@code (0, 2, 3)} (DL4J's helper computes
 * the batch variance that way, the slowest op of a step) and no legacy broadcast along dimension 1. The activation
 * {@code x} is viewed as rows {@code [N*C, H*W]}:
 * <pre>
 *   forward (training):  s1[n,c] = sum_hw x            mean = sum_n s1 / M            (M = N*H*W)
 *                        y = x - mean                  s2[n,c] = sum_hw y^2           var = sum_n s2 / M
 *                        y = y * (gamma / sqrt(var + eps)) + beta;  y = max(y, 0)     (in place, the layer output)
 *   backward:            g = eps * [y &gt; 0]            dBeta = sum g                  dGamma = sum g * (x - mean) * invStd
 *                        dx = gamma * invStd * (g - dBeta / M - xHat * dGamma / M)
 * </pre>
 * The centred input is computed exactly (two passes), not as {@code E[x^2] - mean^2}. Output and gradients are in
 * the graph's workspaces; the per-channel statistics ({@code [C]}) live outside them, reused between calls.
 *
 * <p>Only ND4J's backend-independent ops are used, so the layer runs on every backend (CPU with or without oneDNN,
 * CUDA) and in DOUBLE for gradient checks.
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
    long n = x.size(0);
    long c = x.size(1);
    checkChannels(c);
    long hw = x.length() / (n * c);
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    INDArray x3 = x.reshape('c', n, c, hw);
    INDArray out3 = out.reshape('c', n, c, hw);
    INDArray gamma = getParam(BatchNormalizationParamInitializer.GAMMA).reshape(1, c, 1);
    INDArray beta = getParam(BatchNormalizationParamInitializer.BETA).reshape(1, c, 1);
    double eps = layerConf().getEps();
    if (training) {
      ensureStatistics(c);
      double m = (double) n * hw;
      INDArray rows = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, n * c);
      perChannel(SUM, x3, null, rows, batchMean);
      batchMean.divi(m);
      Nd4j.exec(new SubOp(x3, batchMean.reshape(1, c, 1), out3));
      perChannel(SQUARED_NORM, out3, null, rows, batchVar);
      batchVar.divi(m);
      invStd.assign(Transforms.pow(batchVar.add(eps), -0.5, false));
      Nd4j.exec(new MulOp(out3, gamma.mul(invStd.reshape(1, c, 1)), out3));
      Nd4j.exec(new AddOp(out3, beta, out3));
    } else {
      INDArray scale = gamma.mul(Transforms.pow(runningVariance(c).add(eps), -0.5, false));
      INDArray shift = beta.sub(getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(1, c, 1).mul(scale));
      Nd4j.exec(new MulOp(x3, scale, out3));
      Nd4j.exec(new AddOp(out3, shift, out3));
    }
    if (fusedConf().isRelu()) {
      Nd4j.exec(new RectifiedLinear(out, out, 0.0));
    }
    lastOutput = training ? out : null;
    return out;
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
    if (lastOutput == null || batchMean == null) {
      throw new IllegalStateException("FusedBatchNorm layer '" + layerConf().getLayerName()
          + "': backpropGradient without a training-mode forward pass first");
    }
    INDArray x = contiguous(input.castTo(dataType));
    INDArray eps = contiguous(epsilon.castTo(dataType));
    long n = x.size(0);
    long c = x.size(1);
    long hw = x.length() / (n * c);
    double m = (double) n * hw;

    // g = eps * [out > 0]: the ReLU's gradient, in working memory (eps itself may be shared with other vertices)
    INDArray g = eps;
    if (fusedConf().isRelu()) {
      g = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
      Nd4j.exec(new Step(lastOutput, g, 0.0));
      Nd4j.exec(new MulOp(g, eps, g));
    }
    INDArray rows = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, n * c);
    INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
    INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
    INDArray g3 = g.reshape('c', n, c, hw);
    perChannel(SUM, g3, null, rows, dBeta.reshape(c));

    INDArray centred = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
    INDArray centred3 = centred.reshape('c', n, c, hw);
    Nd4j.exec(new SubOp(x.reshape('c', n, c, hw), batchMean.reshape(1, c, 1), centred3));
    INDArray dGammaFlat = dGamma.reshape(c);
    perChannel(DOT, g3, centred3, rows, dGammaFlat);
    dGammaFlat.muli(invStd);

    // dx = a * g + b * (x - mean) + d, per channel: a = gamma * invStd, b = -a * invStd * dGamma / M,
    // d = -a * dBeta / M
    INDArray a = getParam(BatchNormalizationParamInitializer.GAMMA).reshape(c).mul(invStd);
    INDArray b = a.mul(invStd).muli(dGammaFlat).muli(-1.0 / m);
    INDArray d = a.mul(dBeta.reshape(c)).muli(-1.0 / m);
    INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    INDArray dx3 = dx.reshape('c', n, c, hw);
    Nd4j.exec(new MulOp(centred3, b.reshape(1, c, 1), centred3));
    Nd4j.exec(new AddOp(centred3, d.reshape(1, c, 1), centred3));
    Nd4j.exec(new MulOp(g3, a.reshape(1, c, 1), dx3));
    Nd4j.exec(new AddOp(dx3, centred3, dx3));

    Gradient gradient = new DefaultGradient();
    gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
    gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
    runningStatisticsUpdate(gradient, c);
    lastOutput = null;
    return new Pair<>(gradient, dx);
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
      INDArray varT = runningVariance(c).reshape(c);
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

  /**
   * {@code result[c] = sum over n, h, w of op(a, b)} for {@code a, b: [N, C, HW]} (b only for reduce3 ops such as
   * {@link Dot}): first along the contiguous rows {@code [N*C, HW]} into {@code rows}, then over N. With
   * {@code HW == 1} (a {@code [N, C]} input) the reduction runs over dimension 0 directly: libnd4j passes the input
   * through unchanged for a reduction over a dimension of length 1, which would be wrong for squared norms and dots.
   */
  private static void perChannel(Reduction op, INDArray a, INDArray b, INDArray rows, INDArray result) {
    long n = a.size(0);
    long c = a.size(1);
    long hw = a.size(2);
    if (hw == 1) {
      Nd4j.exec(op.of(a.reshape('c', n, c), b == null ? null : b.reshape('c', n, c), result, 0));
      return;
    }
    Nd4j.exec(op.of(a.reshape('c', n * c, hw), b == null ? null : b.reshape('c', n * c, hw), rows, 1));
    rows.reshape('c', n, c).sum(result, 0);
  }

  /** A reduction of {@code x} (and {@code y} for reduce3 ops) along {@code dim} into {@code z}. */
  @FunctionalInterface
  private interface Reduction {
    Op of(INDArray x, INDArray y, INDArray z, int dim);
  }

  private static final Reduction SUM = (x, y, z, dim) -> new Sum(x, z, dim);
  private static final Reduction SQUARED_NORM = (x, y, z, dim) -> new SquaredNorm(x, z, dim);
  private static final Reduction DOT = (x, y, z, dim) -> new Dot(x, y, z, dim);

  /** The running variance as {@code [1, C, 1]}, from whichever parameterisation the configuration uses. */
  private INDArray runningVariance(long c) {
    if (layerConf().isUseLogStd()) {
      INDArray log10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
      INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, dataType), log10Std, false);
      return std.muli(std).reshape(1, c, 1);
    }
    return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(1, c, 1);
  }

  private void ensureStatistics(long c) {
    if (batchMean == null || batchMean.length() != c || batchMean.dataType() != dataType) {
      try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        batchMean = Nd4j.create(dataType, c);
        batchVar = Nd4j.create(dataType, c);
        invStd = Nd4j.create(dataType, c);
      }
    }
  }

  private void checkChannels(long c) {
    if (c != layerConf().getNOut()) {
      throw new IllegalArgumentException("FusedBatchNorm layer '" + layerConf().getLayerName() + "': input has "
          + c + " channels (dimension 1 of " + java.util.Arrays.toString(input.shape()) + "), expected "
          + layerConf().getNOut() + "; the input must be NCHW [N, C, H, W] or [N, C]");
    }
  }

  private static INDArray contiguous(INDArray a) {
    return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
  }
}
