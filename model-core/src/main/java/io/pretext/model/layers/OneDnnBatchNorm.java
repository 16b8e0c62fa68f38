package io.pretext.model.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;

import io.pretext.model.backend.DirectOneDnn;
import java.util.Arrays;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * oneDNN's batch normalisation for one activation shape, with the ReLU fused ({@code fuse_norm_relu}) or not:
 * training forward (batch statistics out), backward (input, gamma and beta gradients), inference forward (running
 * statistics in). The primitives are created once per shape; each call points prebuilt memory objects at the
 * ND4J arrays of that call.
 *
 * <p>Arrays: activations dense C order, {@code [N, C, H, W]} (channels first), {@code [N, H, W, C]} (channels last)
 * or {@code [N, C]}; per-channel vectors ({@code gamma, beta, mean, var} and their gradients) dense, {@code C}
 * values. Variance is the biased batch variance, as in DL4J's {@code BatchNormalization}. In training with the ReLU
 * fused, the forward pass records which outputs were positive in a workspace (one bit per value) that the backward
 * pass reads: the backward pass must follow the forward pass of the same batch, as DL4J guarantees per layer.
 * One instance per layer, used by one thread at a time.
 */
final class OneDnnBatchNorm {

  /** Arguments of the forward passes, in the order {@link #bind} takes their arrays. */
  private static final int[] FORWARD_DATA = {DNNL_ARG_SRC, DNNL_ARG_DST};
  private static final int[] FORWARD_PER_CHANNEL = {DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE};
  /** Arguments of the backward pass, likewise. */
  private static final int[] BACKWARD_DATA = {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC};
  private static final int[] BACKWARD_PER_CHANNEL = {DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_MEAN, DNNL_ARG_VARIANCE,
      DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT};

  private final long[] shape;
  private final boolean channelsLast;
  private final boolean relu;
  private final float eps;
  private final memory.desc data;
  private final memory.desc perChannel;
  private batch_normalization_forward.primitive_desc trainingDesc;
  private batch_normalization_forward training;
  private batch_normalization_backward backward;
  private batch_normalization_forward inference;
  private memory workspace;
  private IntMemoryMap trainingArgs;
  private IntMemoryMap backwardArgs;
  private IntMemoryMap inferenceArgs;

  /**
   * @param shape the activations' ND4J shape ({@code [N, C, H, W]}, {@code [N, H, W, C]} or {@code [N, C]})
   * @param channelsLast whether a rank-4 shape is {@code [N, H, W, C]}
   */
  OneDnnBatchNorm(long[] shape, boolean channelsLast, boolean relu, double eps) {
    this.shape = shape.clone();
    this.channelsLast = channelsLast;
    this.relu = relu;
    this.eps = (float) eps;
    long[] dims;
    memory.format_tag tag;
    if (shape.length == 2) {
      dims = shape.clone();
      tag = memory.format_tag.nc;
    } else if (channelsLast) {
      dims = new long[] {shape[0], shape[3], shape[1], shape[2]};
      tag = memory.format_tag.nhwc;
    } else {
      dims = shape.clone();
      tag = memory.format_tag.nchw;
    }
    this.data = new memory.desc(dims, memory.data_type.f32, tag);
    this.perChannel = new memory.desc(new long[] {dims[1]}, memory.data_type.f32, memory.format_tag.a);
  }

  /** Whether this kernel was built for activations of this shape and layout (ReLU and eps are the layer's, fixed). */
  boolean fits(long[] shape, boolean channelsLast) {
    return Arrays.equals(this.shape, shape) && this.channelsLast == channelsLast;
  }

  private int flags(boolean globalStats) {
    int f = normalization_flags.use_scale.value | normalization_flags.use_shift.value;
    if (relu) {
      f |= normalization_flags.fuse_norm_relu.value;
    }
    if (globalStats) {
      f |= normalization_flags.use_global_stats.value;
    }
    return f;
  }

  private memory memory(memory.desc desc) {
    return new memory(desc, DirectOneDnn.engine(), null);
  }

  /** Training forward: {@code out = [relu](gamma * (x - mean) / sqrt(var + eps) + beta)}, batch mean and var out. */
  void forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray out, INDArray mean, INDArray var) {
    if (training == null) {
      engine eng = DirectOneDnn.engine();
      trainingDesc = new batch_normalization_forward.primitive_desc(new batch_normalization_forward.desc(
          prop_kind.forward_training.value, data, eps, flags(false)), eng);
      training = new batch_normalization_forward(trainingDesc);
      trainingArgs = arguments(FORWARD_DATA, FORWARD_PER_CHANNEL);
      if (relu) {
        workspace = new memory(trainingDesc.workspace_desc(), eng);
        trainingArgs.put(DNNL_ARG_WORKSPACE, workspace);
      }
    }
    bind(trainingArgs, FORWARD_DATA, x, out);
    bind(trainingArgs, FORWARD_PER_CHANNEL, gamma, beta, mean, var);
    training.execute(DirectOneDnn.stream(), trainingArgs);
  }

  /**
   * Backward after {@link #forwardTraining} of the same batch: {@code dx}, {@code dGamma}, {@code dBeta} from the
   * output gradient {@code dy} (taken before the fused ReLU's mask, which is applied here).
   */
  void backward(INDArray x, INDArray dy, INDArray gamma, INDArray beta, INDArray mean, INDArray var, INDArray dx,
                INDArray dGamma, INDArray dBeta) {
    if (training == null) {
      throw new IllegalStateException("oneDNN batch norm: backward before a training forward pass");
    }
    if (backward == null) {
      batch_normalization_backward.primitive_desc pd = new batch_normalization_backward.primitive_desc(
          new batch_normalization_backward.desc(prop_kind.backward.value, data, data, eps, flags(false)),
          DirectOneDnn.engine(), trainingDesc);
      backward = new batch_normalization_backward(pd);
      backwardArgs = arguments(BACKWARD_DATA, BACKWARD_PER_CHANNEL);
      if (relu) {
        backwardArgs.put(DNNL_ARG_WORKSPACE, workspace);
      }
    }
    bind(backwardArgs, BACKWARD_DATA, x, dy, dx);
    bind(backwardArgs, BACKWARD_PER_CHANNEL, gamma, beta, mean, var, dGamma, dBeta);
    backward.execute(DirectOneDnn.stream(), backwardArgs);
  }

  /** Inference forward with the running statistics {@code mean}, {@code var}. */
  void forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray mean, INDArray var, INDArray out) {
    if (inference == null) {
      inference = new batch_normalization_forward(new batch_normalization_forward.primitive_desc(
          new batch_normalization_forward.desc(prop_kind.forward_inference.value, data, eps, flags(true)),
          DirectOneDnn.engine()));
      inferenceArgs = arguments(FORWARD_DATA, FORWARD_PER_CHANNEL);
    }
    bind(inferenceArgs, FORWARD_DATA, x, out);
    bind(inferenceArgs, FORWARD_PER_CHANNEL, gamma, beta, mean, var);
    inference.execute(DirectOneDnn.stream(), inferenceArgs);
  }

  /** A map with an unbound memory object per argument: activation-shaped for {@code dataArgs}, [C] for the rest. */
  private IntMemoryMap arguments(int[] dataArgs, int[] perChannelArgs) {
    IntMemoryMap args = new IntMemoryMap();
    for (int arg : dataArgs) {
      args.put(arg, memory(data));
    }
    for (int arg : perChannelArgs) {
      args.put(arg, memory(perChannel));
    }
    return args;
  }

  /** Points the memory objects of {@code ids} at {@code arrays}, in order. */
  private static void bind(IntMemoryMap args, int[] ids, INDArray... arrays) {
    for (int i = 0; i < ids.length; i++) {
      args.get(ids[i]).set_data_handle(DirectOneDnn.address(arrays[i]));
    }
  }
}
