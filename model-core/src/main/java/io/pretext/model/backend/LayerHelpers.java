package io.pretext.model.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import io.pretext.model.layers.FusedBatchNormLayer;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.LocalResponseNormalization;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's oneDNN layer helpers on the CPU backend.
 *
 * <p>DL4J 1.0.0-M2.1 attaches a "helper" to convolution, batch-norm, subsampling and LRN layers when each layer is
 * constructed ({@code HelperUtils.createHelper}, i.e. during {@code ComputationGraph.init()}); the helper runs the
 * layer's forward and backward pass through libnd4j's oneDNN kernels instead of DL4J's im2col + gemm code, about
 * 3-8x faster for small CNNs on 2 cores (numbers in {@code docs/performance.md}). Two things keep the helpers off:
 * <ol>
 *   <li>the system property {@value #DISABLE_PROPERTY} defaults to {@code "true"} (helpers disabled); and</li>
 *   <li>the availability check looks up a binding class that moved in M2.1; {@link org.nd4j.nativeblas.Nd4jCpu}
 *       restores it.</li>
 * </ol>
 * {@link #enableByDefault()} fixes the first; {@code SslMethod.build} calls it before initialising a graph. Helpers
 * are then used when libnd4j is a oneDNN build ({@code nd4j-native} classifier {@code linux-x86_64-onednn*}, the
 * default {@code nd4j.classifier}); on the portable {@code linux-x86_64} build the check answers {@code false} and
 * the layers keep DL4J's built-in implementation. Whether a graph got helpers is visible with
 * {@link #helpersByLayer(ComputationGraph)}.
 *
 * <p>To force the built-in implementation (e.g. to compare), start the JVM with
 * {@code -D}{@value #DISABLE_PROPERTY}{@code =true}: an explicit value is never overridden.
 */
public final class LayerHelpers {

  /** DL4J's switch: {@code "true"} (DL4J's default) disables all layer helpers, {@code "false"} allows them. */
  public static final String DISABLE_PROPERTY = DL4JSystemProperties.DISABLE_HELPER_PROPERTY;

  /** Value of {@link #helpersByLayer} for a layer that runs DL4J's built-in implementation. */
  public static final String BUILTIN = "builtin";

  /** Value of {@link #helpersByLayer} for a {@link FusedBatchNormLayer} (Pretext's own batch norm, no helper). */
  public static final String FUSED = "FusedBatchNorm";

  /** The value {@link #enableByDefault()} gives {@value #DISABLE_PROPERTY} when the user left it unset. */
  private static final String PRETEXT_DEFAULT = "false";

  private LayerHelpers() {
  }

  /**
   * Allows DL4J layer helpers for graphs initialised from now on, unless {@value #DISABLE_PROPERTY} was set
   * explicitly. Idempotent; must run before {@code ComputationGraph.init()} (or before a saved graph is restored),
   * because helpers are chosen when layers are constructed. It sets a JVM-wide system property: DL4J offers no other
   * switch.
   */
  public static void enableByDefault() {
    if (System.getProperty(DISABLE_PROPERTY) == null) {
      System.setProperty(DISABLE_PROPERTY, PRETEXT_DEFAULT);
    }
  }

  /** Whether DL4J layer helpers are allowed by {@value #DISABLE_PROPERTY} (unset means disabled, DL4J's default). */
  public static boolean allowedByProperty() {
    return allowedByProperty(DL4JSystemProperties.HELPER_DISABLE_DEFAULT_VALUE);
  }

  private static boolean allowedByProperty(String valueWhenUnset) {
    return !Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, valueWhenUnset));
  }

  /**
   * Whether layers initialised now would get oneDNN helpers: CPU backend, libnd4j built with oneDNN and using it,
   * helpers allowed by ND4J ({@code Nd4j.getEnvironment().helpersAllowed()}) and by {@value #DISABLE_PROPERTY}.
   */
  public static boolean oneDnnActive() {
    return allowedByProperty() && oneDnnUsable();
  }

  /**
   * {@link #oneDnnActive()} as it will be once {@link #enableByDefault()} has run, which every graph built by
   * {@code SslMethod.build} does: true unless the user disabled helpers with {@value #DISABLE_PROPERTY}{@code =true}
   * or oneDNN is unusable here.
   */
  public static boolean oneDnnActiveByDefault() {
    return allowedByProperty(PRETEXT_DEFAULT) && oneDnnUsable();
  }

  /** CPU backend, libnd4j built with oneDNN and using it, helpers allowed by ND4J. */
  private static boolean oneDnnUsable() {
    String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
    return "CPU".equalsIgnoreCase(backend)
        && Nd4j.getEnvironment().helpersAllowed()
        && org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN();
  }

  /**
   * The helper of every layer that can have one (convolution, batch norm, subsampling, LRN), by layer name:
   * the helper's simple class name (e.g. {@code MKLDNNConvHelper}), {@link #FUSED} for Pretext's fused batch norm,
   * or {@link #BUILTIN}. Layers are in topological order.
   */
  public static Map<String, String> helpersByLayer(ComputationGraph graph) {
    Map<String, String> out = new LinkedHashMap<>();
    int[] order = graph.topologicalSortOrder();
    for (int idx : order) {
      if (!graph.getVertices()[idx].hasLayer()) {
        continue;
      }
      Layer layer = graph.getVertices()[idx].getLayer();
      if (layer instanceof ConvolutionLayer || layer instanceof BatchNormalization
          || layer instanceof SubsamplingLayer || layer instanceof LocalResponseNormalization) {
        LayerHelper helper = layer.getHelper();
        out.put(graph.getVertices()[idx].getVertexName(), layer instanceof FusedBatchNormLayer ? FUSED
            : helper == null ? BUILTIN : helper.getClass().getSimpleName());
      }
    }
    return out;
  }

  /**
   * Whether every convolution and DL4J batch-norm layer of {@code graph} runs on a oneDNN helper (Pretext's
   * {@link FusedBatchNormLayer} has none and needs none) and there is at least one convolution.
   */
  public static boolean allOneDnn(ComputationGraph graph) {
    boolean any = false;
    for (var v : graph.getVertices()) {
      if (!v.hasLayer()) {
        continue;
      }
      Layer layer = v.getLayer();
      if (layer instanceof ConvolutionLayer) {
        any = true;
        if (!(layer.getHelper() instanceof MKLDNNConvHelper)) {
          return false;
        }
      } else if (layer instanceof BatchNormalization && !(layer instanceof FusedBatchNormLayer)) {
        if (!(layer.getHelper() instanceof MKLDNNBatchNormHelper)) {
          return false;
        }
      }
    }
    return any;
  }
}
