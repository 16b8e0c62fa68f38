package io.pretext.jobs.eval;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Weighted k-nearest-neighbour classifier on cosine similarity: the monitor protocol of InstDisc
 * (Wu et al. 2018, "Unsupervised Feature Learning via Non-Parametric Instance Discrimination",
 * Sec. 3.4), used by SimCLR, MoCo and most SSL papers as a training-free probe of a frozen encoder.
 *
 * <p>For a query {@code q} ({@code [D]}): every train feature {@code x_i} ({@code [N, D]}) and
 * {@code q} are L2-normalised, {@code s_i = <x_i, q>} (cosine similarity, in [-1, 1]), the
 * {@code k} most similar train points vote for their labels with weight {@code exp(s_i / tau)},
 * and the class with the largest summed weight is predicted. Defaults: {@code k = 200},
 * {@code tau = 0.07} (the paper's values).
 *
 * <p>Exact definitions, so results are reproducible and testable:
 * <ul>
 *   <li>{@code k} larger than the train set is clamped to the train set size ({@link #effectiveK()}):
 *       every train point votes.</li>
 *   <li>Neighbour ties: among train points with equal similarity the one with the lower index (row
 *       order of the train features) ranks first.</li>
 *   <li>Vote ties: the lowest class index wins.</li>
 *   <li>A zero vector normalises to zero (norms are clamped at {@code 1e-12}), so its similarity to
 *       everything is 0.</li>
 * </ul>
 *
 * <p>Cost: {@code O(N * D)} per query, single-threaded, plain Java (a bounded heap selects the top
 * {@code k}); similarities are float dot products. Memory: the normalised train matrix, {@code 4 N D}
 * bytes (60 000 x 128 = 30 MB), held in one array; in Spark it is broadcast, so it must fit in every
 * executor's heap (see {@link DistributedKnn}).
 *
 * <p>Immutable and {@link Serializable} (broadcast to executors). Labels are class indices
 * {@code 0..C-1}; {@code C = max(label) + 1}.
 */
public final class KnnClassifier implements Serializable {
  private static final long serialVersionUID = 1L;
  /** InstDisc's k. */
  public static final int DEFAULT_K = 200;
  /** InstDisc's temperature tau. */
  public static final double DEFAULT_TEMPERATURE = 0.07;
  private static final double MIN_NORM = 1e-12;

  private final int k;
  private final double temperature;
  private final int size;
  private final int dim;
  private final int numClasses;
  /** Normalised train features, row-major {@code [size, dim]}. */
  private final float[] train;
  private final int[] labels;

  private KnnClassifier(int k, double temperature, int size, int dim, int numClasses, float[] train, int[] labels) {
    this.k = k;
    this.temperature = temperature;
    this.size = size;
    this.dim = dim;
    this.numClasses = numClasses;
    this.train = train;
    this.labels = labels;
  }

  /**
   * Stores the normalised train set.
   *
   * @param features {@code [N, D]} train features, N &gt;= 1, finite
   * @param labels {@code [N]} class indices &gt;= 0
   * @param k neighbours, &gt;= 1 (clamped to N)
   * @param temperature vote temperature tau, finite and &gt; 0
   * @throws IllegalArgumentException naming the argument, its value and what is allowed
   */
  public static KnnClassifier fit(float[][] features, int[] labels, int k, double temperature) {
    check(k >= 1, "k", k, "an integer >= 1");
    check(temperature > 0 && Double.isFinite(temperature), "temperature", temperature, "a finite number > 0");
    check(features != null && features.length >= 1, "features", features == null ? null : features.length + " rows", "at least one train row");
    check(labels != null && labels.length == features.length, "labels", labels == null ? null : labels.length + " labels",
        "one label per train row (" + features.length + ")");
    int n = features.length;
    int d = features[0].length;
    check(d >= 1, "features", d + " columns", "at least one feature");
    float[] flat = new float[n * d];
    int maxLabel = 0;
    for (int i = 0; i < n; i++) {
      check(features[i].length == d, "features[" + i + "]", features[i].length + " columns", d + " columns, like row 0");
      check(labels[i] >= 0, "labels[" + i + "]", labels[i], "a class index >= 0");
      for (float v : features[i]) {
        check(Float.isFinite(v), "features[" + i + "]", v, "finite values");
      }
      normalise(features[i], flat, i * d);
      maxLabel = Math.max(maxLabel, labels[i]);
    }
    return new KnnClassifier(Math.min(k, n), temperature, n, d, maxLabel + 1, flat, labels.clone());
  }

  /** {@code k} after clamping to the train set size. */
  public int effectiveK() {
    return k;
  }

  public double temperature() {
    return temperature;
  }

  public int trainSize() {
    return size;
  }

  public int dimension() {
    return dim;
  }

  /** Classes known from the train labels: {@code max(label) + 1}. */
  public int numClasses() {
    return numClasses;
  }

  /** Predicted class of one query {@code [D]}. */
  public int predict(float[] query) {
    check(query != null && query.length == dim, "query", query == null ? null : query.length + " values", dim + " values");
    float[] q = new float[dim];
    normalise(query, q, 0);
    // Bounded min-heap of the best k so far; its root is the worst of them.
    float[] heapSim = new float[k];
    int[] heapIdx = new int[k];
    int filled = 0;
    for (int i = 0; i < size; i++) {
      float s = dot(q, i * dim);
      if (filled < k) {
        heapSim[filled] = s;
        heapIdx[filled] = i;
        siftUp(heapSim, heapIdx, filled++);
      } else if (ranksBefore(s, i, heapSim[0], heapIdx[0])) {
        heapSim[0] = s;
        heapIdx[0] = i;
        siftDown(heapSim, heapIdx, k);
      }
    }
    double[] votes = new double[numClasses];
    for (int j = 0; j < k; j++) {
      votes[labels[heapIdx[j]]] += Math.exp(heapSim[j] / temperature);
    }
    int best = 0;
    for (int c = 1; c < numClasses; c++) {
      if (votes[c] > votes[best]) {
        best = c;
      }
    }
    return best;
  }

  /** Predicted classes of {@code [M, D]} queries. */
  public int[] predict(float[][] queries) {
    return Arrays.stream(queries).mapToInt(this::predict).toArray();
  }

  /** Fraction of {@code queries} whose prediction equals {@code truth}; NaN for no queries. */
  public double accuracy(float[][] queries, int[] truth) {
    check(truth.length == queries.length, "truth", truth.length + " labels", queries.length + ", one per query");
    int correct = 0;
    for (int i = 0; i < queries.length; i++) {
      if (predict(queries[i]) == truth[i]) {
        correct++;
      }
    }
    return queries.length == 0 ? Double.NaN : correct / (double) queries.length;
  }

  private float dot(float[] q, int offset) {
    // Four accumulators for instruction-level parallelism; identical rows give identical sums.
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int j = 0;
    for (; j + 3 < dim; j += 4) {
      a0 += q[j] * train[offset + j];
      a1 += q[j + 1] * train[offset + j + 1];
      a2 += q[j + 2] * train[offset + j + 2];
      a3 += q[j + 3] * train[offset + j + 3];
    }
    for (; j < dim; j++) {
      a0 += q[j] * train[offset + j];
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** True if neighbour (s, i) ranks before (t, j): higher similarity, then lower index. */
  private static boolean ranksBefore(float s, int i, float t, int j) {
    return s > t || (s == t && i < j);
  }

  private static void siftUp(float[] sim, int[] idx, int pos) {
    while (pos > 0) {
      int parent = (pos - 1) / 2;
      if (!ranksBefore(sim[parent], idx[parent], sim[pos], idx[pos])) {
        return;
      }
      swap(sim, idx, pos, parent);
      pos = parent;
    }
  }

  private static void siftDown(float[] sim, int[] idx, int n) {
    int pos = 0;
    while (true) {
      int worst = pos;
      for (int child = 2 * pos + 1; child <= 2 * pos + 2 && child < n; child++) {
        if (ranksBefore(sim[worst], idx[worst], sim[child], idx[child])) {
          worst = child;
        }
      }
      if (worst == pos) {
        return;
      }
      swap(sim, idx, pos, worst);
      pos = worst;
    }
  }

  private static void swap(float[] sim, int[] idx, int a, int b) {
    float s = sim[a];
    sim[a] = sim[b];
    sim[b] = s;
    int i = idx[a];
    idx[a] = idx[b];
    idx[b] = i;
  }

  /** {@code x / max(|x|, 1e-12)}: the normalisation every cosine similarity here uses. */
  static float[] unit(float[] x) {
    float[] out = new float[x.length];
    normalise(x, out, 0);
    return out;
  }

  private static void normalise(float[] x, float[] out, int offset) {
    double sq = 0;
    for (float v : x) {
      sq += (double) v * v;
    }
    double norm = Math.max(Math.sqrt(sq), MIN_NORM);
    for (int j = 0; j < x.length; j++) {
      out[offset + j] = (float) (x[j] / norm);
    }
  }

  private static void check(boolean ok, String name, Object value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("invalid kNN " + name + ": '" + value + "' (allowed: " + allowed + ")");
    }
  }
}
