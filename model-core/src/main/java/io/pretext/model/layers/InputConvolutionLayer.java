package io.pretext.model.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The layer of an {@link InputConvolution}: DL4J's convolution whose backward pass returns no input gradient and
 * computes the weight gradient as one matrix product, {@code dW = cols^T x dZ}, where {@code cols [N*OH*OW, kH*kW*C]}
 * holds the input patch of every output position ({@code kH*kW} strided copies of the zero-padded NHWC input) and
 * {@code dZ [N*OH*OW, OC]} is the output gradient in NHWC; the bias gradient is {@code ones x dZ}. It applies to an
 * identity activation, no dilation, {@link ConvolutionMode#Truncate} or {@code Strict} padding and no weight noise
 * or dropout; any other configuration runs DL4J's backward pass unchanged (then with the input gradient).
 */
public class InputConvolutionLayer extends ConvolutionLayer {

  private static final long serialVersionUID = 1L;

  public InputConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private boolean weightGradientOnly() {
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
    return c.getActivationFn() instanceof ActivationIdentity
        && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
        && (c.getConvolutionMode() == ConvolutionMode.Truncate || c.getConvolutionMode() == ConvolutionMode.Strict)
        && c.getWeightNoise() == null && c.getIDropout() == null;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (!weightGradientOnly()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
    boolean nchw = c.getCnn2dDataFormat() == CNN2DFormat.NCHW;
    INDArray x = input.castTo(dataType);
    INDArray dz = epsilon.castTo(dataType);
    if (nchw) { // to NHWC
      x = x.permute(0, 2, 3, 1);
      dz = dz.permute(0, 2, 3, 1);
    }
    long n = x.size(0);
    long h = x.size(1);
    long w = x.size(2);
    long ch = x.size(3);
    long oh = dz.size(1);
    long ow = dz.size(2);
    long oc = dz.size(3);
    int kh = c.getKernelSize()[0];
    int kw = c.getKernelSize()[1];
    int sh = c.getStride()[0];
    int sw = c.getStride()[1];
    int ph = c.getPadding()[0];
    int pw = c.getPadding()[1];

    INDArray padded = x;
    if (ph > 0 || pw > 0) {
      padded = workspaceMgr.create(ArrayType.BP_WORKING_MEM, dataType, new long[] {n, h + 2L * ph, w + 2L * pw, ch},
          'c');
      padded.get(NDArrayIndex.all(), NDArrayIndex.interval(ph, ph + h), NDArrayIndex.interval(pw, pw + w),
          NDArrayIndex.all()).assign(x);
    }
    INDArray cols = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
        new long[] {n, oh, ow, kh, kw, ch}, 'c');
    for (int i = 0; i < kh; i++) {
      for (int j = 0; j < kw; j++) {
        INDArrayIndex rows = NDArrayIndex.interval(i, sh, i + sh * (oh - 1) + 1);
        INDArrayIndex columns = NDArrayIndex.interval(j, sw, j + sw * (ow - 1) + 1);
        cols.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i),
            NDArrayIndex.point(j), NDArrayIndex.all())
            .assign(padded.get(NDArrayIndex.all(), rows, columns, NDArrayIndex.all()));
      }
    }
    INDArray dz2 = dz.dup('c').reshape('c', n * oh * ow, oc);
    INDArray dw2 = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
        new long[] {(long) kh * kw * ch, oc}, 'f');
    cols.reshape('c', n * oh * ow, (long) kh * kw * ch).transpose().mmul(dz2, dw2);

    Gradient gradient = new DefaultGradient();
    if (c.hasBias()) {
      INDArray dB = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
      Nd4j.ones(dataType, 1, n * oh * ow).mmul(dz2, dB.reshape(1, oc));
      gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, dB);
    }
    INDArray dW = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY); // [OC, C, kH, kW], as DL4J's
    dW.assign(dw2.reshape('c', kh, kw, ch, oc).permute(3, 2, 0, 1));
    gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, dW, 'c');
    return new Pair<>(gradient, null);
  }
}
