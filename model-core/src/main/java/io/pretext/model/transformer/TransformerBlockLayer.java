package io.pretext.model.transformer;

import static io.pretext.model.transformer.TransformerBlock.B1;
import static io.pretext.model.transformer.TransformerBlock.B2;
import static io.pretext.model.transformer.TransformerBlock.BO;
import static io.pretext.model.transformer.TransformerBlock.BQKV;
import static io.pretext.model.transformer.TransformerBlock.LN1_BETA;
import static io.pretext.model.transformer.TransformerBlock.LN1_GAMMA;
import static io.pretext.model.transformer.TransformerBlock.LN2_BETA;
import static io.pretext.model.transformer.TransformerBlock.LN2_GAMMA;
import static io.pretext.model.transformer.TransformerBlock.W1;
import static io.pretext.model.transformer.TransformerBlock.W2;
import static io.pretext.model.transformer.TransformerBlock.WO;
import static io.pretext.model.transformer.TransformerBlock.WQKV;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime side of {@link TransformerBlock}. Shapes in comments: {@code N} sequences, {@code T} padded length,
 * {@code R} real tokens, {@code H} hidden, {@code h} heads, {@code d = H / h}, {@code F} feed-forward width.
 */
public final class TransformerBlockLayer extends TransformerLayerImpl<TransformerBlock> {
  private static final long serialVersionUID = 1L;

  /** Added to the scores of padded keys: their softmax weight underflows to exactly 0 in float and double. */
  static final double MASKED_SCORE = -1e9;

  private Cache cache;

  /** What one training forward pass keeps for the backward pass. */
  private record Cache(SequenceLayout layout, INDArray xr, INDArray q, INDArray k, INDArray v, INDArray probs,
      INDArray attnMask, INDArray ctx, INDArray drop1, LayerNorm.Cache ln1, INDArray h1, INDArray f1, Gelu.Result gelu,
      INDArray drop2, LayerNorm.Cache ln2) {
  }

  TransformerBlockLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    TransformerBlock c = layerConf();
    INDArray x = input.castTo(dataType);
    if (x.rank() != 3 || x.size(2) != c.hidden()) {
      throw new IllegalArgumentException("TransformerBlock " + c.getLayerName() + ": input shape " + Arrays.toString(x.shape())
          + " is invalid, expected [N, T, " + c.hidden() + "]");
    }
    long n = x.size(0);
    long t = x.size(1);
    int hid = c.hidden();
    int heads = c.heads();
    int d = hid / heads;
    try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
      SequenceLayout layout = SequenceLayout.of(maskArray, n, t);
      INDArray xr = pack(x.reshape('c', n * t, hid), layout);                          // [R, H]

      // Multi-head self-attention over the padded layout.
      INDArray qkv = dense(xr, param(WQKV), param(BQKV));                                // [R, 3H]
      INDArray qkv5 = unpack(qkv, layout).reshape('c', n, t, 3, heads, d);
      INDArray q = headsFirst(qkv5, 0, n, t, heads, d).muli(1.0 / Math.sqrt(d));      // [N*h, T, d], pre-scaled
      INDArray k = headsFirst(qkv5, 1, n, t, heads, d);
      INDArray v = headsFirst(qkv5, 2, n, t, heads, d);
      INDArray scores = Nd4j.matmul(q, k, false, true, false);                         // [N*h, T, T]
      if (!layout.dense()) {
        INDArray keyBias = layout.maskLike(scores).subi(1.0).muli(-MASKED_SCORE).reshape(n, 1, 1, t);
        scores.reshape('c', n, heads, t, t).addi(keyBias);
      }
      INDArray probs = Nd4j.exec(new SoftMax(scores, scores, -1))[0];
      INDArray attnMask = training ? InvertedDropout.mask(c.attentionDropout(), dataType, n * heads, t, t) : null;
      INDArray weights = attnMask == null ? probs : probs.mul(attnMask);
      INDArray ctxHeads = Nd4j.matmul(weights, v);                                       // [N*h, T, d]
      INDArray ctx = pack(ctxHeads.reshape('c', n, heads, t, d).permute(0, 2, 1, 3).dup('c').reshape('c', n * t, hid), layout);
      INDArray drop1 = training ? InvertedDropout.mask(c.dropout(), dataType, layout.real, hid) : null;
      INDArray attn = InvertedDropout.apply(dense(ctx, param(WO), param(BO)), drop1);
      LayerNorm.Result ln1 = LayerNorm.forward(attn.addi(xr), param(LN1_GAMMA), param(LN1_BETA), TransformerLayer.LAYER_NORM_EPS);
      INDArray h1 = ln1.out();                                                           // [R, H]

      // Feed-forward.
      INDArray f1 = dense(h1, param(W1), param(B1));                                    // [R, F]
      Gelu.Result gelu = Gelu.forward(f1);
      INDArray drop2 = training ? InvertedDropout.mask(c.dropout(), dataType, layout.real, hid) : null;
      INDArray f2 = InvertedDropout.apply(dense(gelu.out(), param(W2), param(B2)), drop2);
      LayerNorm.Result ln2 = LayerNorm.forward(f2.addi(h1), param(LN2_GAMMA), param(LN2_BETA), TransformerLayer.LAYER_NORM_EPS);

      if (training) {
        cache = new Cache(layout, xr, q, k, v, probs, attnMask, ctx, drop1, ln1.cache(), h1, f1, gelu, drop2, ln2.cache());
      }
      return unpack(ln2.out(), layout).reshape('c', n, t, hid);
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (cache == null) {
      throw new IllegalStateException("TransformerBlock " + layerConf().getLayerName() + ": backprop without a training forward pass");
    }
    TransformerBlock c = layerConf();
    Cache f = cache;
    SequenceLayout layout = f.layout;
    long n = layout.n;
    long t = layout.t;
    int hid = c.hidden();
    int heads = c.heads();
    int d = hid / heads;

    INDArray dOut = pack(epsilon.reshape('c', n * t, hid), layout);                   // [R, H]
    // Second residual block: y = LN2(h1 + f).
    INDArray dSum2 = LayerNorm.backward(dOut, f.ln2, param(LN2_GAMMA), grad(LN2_GAMMA), grad(LN2_BETA));
    INDArray dF2 = f.drop2 == null ? dSum2 : dSum2.mul(f.drop2);
    INDArray dGelu = denseBackward(dF2, f.gelu.out(), param(W2), grad(W2), grad(B2));  // [R, F]
    INDArray dF1 = Gelu.backward(dGelu, f.f1, f.gelu.cdf());
    INDArray dH1 = denseBackward(dF1, f.h1, param(W1), grad(W1), grad(B1)).addi(dSum2);

    // First residual block: h1 = LN1(x + a).
    INDArray dSum1 = LayerNorm.backward(dH1, f.ln1, param(LN1_GAMMA), grad(LN1_GAMMA), grad(LN1_BETA));
    INDArray dAttn = f.drop1 == null ? dSum1 : dSum1.mul(f.drop1);
    INDArray dCtx = denseBackward(dAttn, f.ctx, param(WO), grad(WO), grad(BO));        // [R, H]
    INDArray dCtxHeads = unpack(dCtx, layout).reshape('c', n, t, heads, d).permute(0, 2, 1, 3).dup('c')
        .reshape('c', n * heads, t, d);
    INDArray weights = f.attnMask == null ? f.probs : f.probs.mul(f.attnMask);
    INDArray dWeights = Nd4j.matmul(dCtxHeads, f.v, false, true, false);             // [N*h, T, T]
    INDArray dV = Nd4j.matmul(weights, dCtxHeads, true, false, false);               // [N*h, T, d]
    INDArray dProbs = f.attnMask == null ? dWeights : dWeights.muli(f.attnMask);
    // Softmax backward along the keys: dS = P * (dP - sum(dP * P)).
    INDArray dScores = dProbs.subi(dProbs.mul(f.probs).sum(true, 2)).muli(f.probs);
    INDArray dQ = Nd4j.matmul(dScores, f.k).muli(1.0 / Math.sqrt(d));                 // q was pre-scaled
    INDArray dK = Nd4j.matmul(dScores, f.q, true, false, false);
    INDArray dQkv5 = Nd4j.createUninitialized(dataType, n, t, 3, heads, d);
    dQkv5.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all())
        .assign(dQ.reshape('c', n, heads, t, d).permute(0, 2, 1, 3));
    dQkv5.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all())
        .assign(dK.reshape('c', n, heads, t, d).permute(0, 2, 1, 3));
    dQkv5.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all())
        .assign(dV.reshape('c', n, heads, t, d).permute(0, 2, 1, 3));
    INDArray dQkv = pack(dQkv5.reshape('c', n * t, 3L * hid), layout);              // [R, 3H]
    INDArray dX = denseBackward(dQkv, f.xr, param(WQKV), grad(WQKV), grad(BQKV)).addi(dSum1);

    INDArray dInput = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, unpack(dX, layout).reshape('c', n, t, hid));
    return new Pair<>(gradients(), dInput);
  }

  /** {@code x W + b}. */
  static INDArray dense(INDArray x, INDArray w, INDArray b) {
    return x.mmul(w).addiRowVector(b);
  }

  /**
   * Backward of {@link #dense}: assigns {@code dW = x^T dy} and {@code db = sum(dy)}, returns {@code dx = dy W^T}.
   */
  static INDArray denseBackward(INDArray dy, INDArray x, INDArray w, INDArray dW, INDArray dB) {
    Nd4j.gemm(x, dy, dW, true, false, 1.0, 0.0);
    dB.assign(dy.sum(true, 0));
    return Nd4j.gemm(dy, w, false, true);
  }

  /** Part {@code part} (0 query, 1 key, 2 value) of {@code [N, T, 3, h, d]} as {@code [N*h, T, d]}. */
  private static INDArray headsFirst(INDArray qkv5, int part, long n, long t, int heads, int d) {
    return qkv5.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(part), NDArrayIndex.all(), NDArrayIndex.all())
        .permute(0, 2, 1, 3).dup('c').reshape('c', n * heads, t, d);
  }

  /** The real rows of padded {@code [N*T, C]}, packed to {@code [R, C]}. */
  static INDArray pack(INDArray padded, SequenceLayout layout) {
    return layout.dense() ? padded : Nd4j.pullRows(padded, 1, layout.realRows);
  }

  /** Packed {@code [R, C]} back to padded {@code [N*T, C]}, zeros at padding. */
  static INDArray unpack(INDArray packed, SequenceLayout layout) {
    if (layout.dense()) {
      return packed;
    }
    INDArray withZero = Nd4j.concat(0, packed, Nd4j.zeros(packed.dataType(), 1, packed.size(1)));
    return Nd4j.pullRows(withZero, 1, layout.packedIndex);
  }

  @Override
  protected void clearCache() {
    cache = null;
  }
}
