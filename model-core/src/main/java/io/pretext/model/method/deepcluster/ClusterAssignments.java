package io.pretext.model.method.deepcluster;

import io.pretext.model.head.FreshHead;
import io.pretext.model.lifecycle.Assignment;
import io.pretext.model.lifecycle.Centroids;
import io.pretext.model.lifecycle.Clustering;
import io.pretext.model.lifecycle.MethodContext;
import io.pretext.model.lifecycle.Pca;
import io.pretext.model.lifecycle.RecordTable;
import io.pretext.model.lifecycle.RunPlan;
import io.pretext.model.lifecycle.Vectors;
import io.pretext.model.method.MethodState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * DeepCluster's driver state: the current epoch's assignment of every record to a cluster, as a per-record table of the
 * run (labels and sampling weights the epoch's batches join by record id), refreshed before every epoch. The table, not
 * an array on the driver, holds the assignment, so a corpus of any size is handled alike; the state itself is the
 * table's name and location, the epoch it belongs to and the cluster sizes. Checkpoints store it, so a run resumed
 * mid-epoch trains on the same pseudo-labels.
 */
final class ClusterAssignments implements MethodState {
  /** Most rounds of empty-cluster re-seeding per epoch. */
  static final int RESEED_ROUNDS = 10;
  /** faiss's split perturbation. */
  static final double EPS = 1.0 / 1024;
  private static final int MAGIC = 0x44436c31; // "DCl1"

  private final DeepCluster method;
  private final RunPlan plan;
  private RecordTable current;
  private int epoch = -1;

  ClusterAssignments(DeepCluster method, RunPlan plan) {
    this.method = method;
    this.plan = plan;
  }

  @Override
  public void onEpochStart(MethodContext context) {
    DeepClusterConfig config = method.config();
    Clustering tools = context.clustering();
    int e = context.epoch();
    long t0 = System.nanoTime();
    Vectors raw = context.embed(method.representationVertex());
    long t1 = System.nanoTime();
    Pca pca = tools.fitPca(raw, Math.min(config.pcaDim(), raw.dimension()));
    Vectors x = tools.project(raw, pca, true, true);
    raw.release();
    long t2 = System.nanoTime();
    long seed = mix(plan.seed(), e);
    Centroids centroids = tools.kMeans(x, config.clusters(), config.kmeansIterations(), seed);
    Assignment a = tools.assign(x, centroids);
    int emptyAfterKMeans = a.empty();
    int reseeded = 0;
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5265736565644CL);
    for (int r = 0; r < RESEED_ROUNDS && a.empty() > 0; r++) {
      Centroids split = splitIntoEmpty(a.centroids(), a.sizes(), rng);
      if (split == null) {
        break; // no cluster has two members to give
      }
      reseeded += a.empty();
      a.release();
      a = tools.assign(x, split);
    }
    long t3 = System.nanoTime();
    double nmiPrevious = current == null ? Double.NaN : previousNmi(context, tools, a);
    double nmiLabels = Double.NaN;
    Optional<Vectors> monitor = context.embedMonitor(method.representationVertex());
    if (monitor.isPresent()) {
      Vectors m = tools.project(monitor.get(), pca, true, true);
      monitor.get().release();
      if (m.labelled()) {
        Assignment ma = tools.assign(m, a.centroids());
        nmiLabels = tools.nmiWithLabels(ma);
        ma.release();
      }
      m.release();
    }
    long t4 = System.nanoTime();
    long[] sizes = a.sizes();
    double[] weights = weights(sizes, plan.records());
    RecordTable table = context.saveLabels(String.format(Locale.ROOT, "deepcluster-epoch-%05d", e), a, weights);
    a.release();
    x.release();
    long t5 = System.nanoTime();
    FreshHead.reset(context.network(), DeepCluster.CLASSIFIER, seed);
    current = table;
    epoch = e;
    int nonEmpty = nonEmpty(sizes);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("clusters", config.clusters());
    fields.put("nonEmpty", nonEmpty);
    fields.put("emptyAfterKMeans", emptyAfterKMeans);
    fields.put("reseeded", reseeded);
    fields.put("largestCluster", max(sizes));
    fields.put("nmiPrevious", Double.isNaN(nmiPrevious) ? null : nmiPrevious); // null: no earlier epoch, or no labelled monitor
    fields.put("nmiLabels", Double.isNaN(nmiLabels) ? null : nmiLabels);
    fields.put("embedSeconds", (t1 - t0) / 1e9);
    fields.put("pcaSeconds", (t2 - t1) / 1e9);
    fields.put("kmeansSeconds", (t3 - t2) / 1e9);
    fields.put("monitorSeconds", (t4 - t3) / 1e9);
    fields.put("tableSeconds", (t5 - t4) / 1e9);
    context.log(DeepCluster.NAME, fields, String.format(Locale.ROOT,
        "epoch %d: %d clusters (%d empty after k-means, %d re-seeded), largest %d%s%s; embed %.1f s, PCA %.1f s,"
            + " k-means %.1f s, table %.1f s", e + 1, nonEmpty, emptyAfterKMeans, reseeded, max(sizes),
        Double.isNaN(nmiPrevious) ? "" : String.format(Locale.ROOT, ", NMI with epoch %d %.3f", e, nmiPrevious),
        Double.isNaN(nmiLabels) ? "" : String.format(Locale.ROOT, ", NMI with --monitor labels %.3f", nmiLabels),
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t5 - t4) / 1e9));
  }

  private double previousNmi(MethodContext context, Clustering tools, Assignment a) {
    Assignment previous = context.labels(current);
    try {
      return tools.nmi(previous, a);
    } finally {
      previous.release();
    }
  }

  /**
   * The centroids with every empty cluster re-seeded by splitting a donor: drawn with probability proportional to its
   * size minus one among the clusters of at least two records, the empty centroid becomes the donor's times
   * {@code 1 + EPS} on even coordinates and {@code 1 - EPS} on odd ones, the donor the opposite (faiss's
   * {@code split_clusters}). Null if no cluster has two records.
   */
  static Centroids splitIntoEmpty(Centroids centroids, long[] sizes, SplittableRandom rng) {
    long[] s = sizes.clone();
    double[][] c = new double[centroids.k()][];
    for (int i = 0; i < c.length; i++) {
      c[i] = centroids.center(i);
    }
    boolean any = false;
    for (int empty = 0; empty < s.length; empty++) {
      if (s[empty] != 0) {
        continue;
      }
      long spare = 0;
      for (long n : s) {
        spare += Math.max(0, n - 1);
      }
      if (spare == 0) {
        break;
      }
      long pick = rng.nextLong(spare);
      int donor = 0;
      while (pick >= Math.max(0, s[donor] - 1)) {
        pick -= Math.max(0, s[donor] - 1);
        donor++;
      }
      for (int j = 0; j < c[donor].length; j++) {
        double up = c[donor][j] * (1 + EPS);
        double down = c[donor][j] * (1 - EPS);
        c[empty][j] = j % 2 == 0 ? up : down;
        c[donor][j] = j % 2 == 0 ? down : up;
      }
      s[empty] = s[donor] / 2;
      s[donor] -= s[empty];
      any = true;
    }
    return any ? new Centroids(c) : null;
  }

  /** {@code N / (nonEmpty x size)} per non-empty cluster, 0 for empty ones: weights summing to {@code N} over records. */
  static double[] weights(long[] sizes, long records) {
    int nonEmpty = nonEmpty(sizes);
    double[] w = new double[sizes.length];
    for (int c = 0; c < sizes.length; c++) {
      w[c] = sizes[c] == 0 ? 0 : (double) records / ((double) nonEmpty * sizes[c]);
    }
    return w;
  }

  private static int nonEmpty(long[] sizes) {
    int n = 0;
    for (long s : sizes) {
      n += s > 0 ? 1 : 0;
    }
    return n;
  }

  private static long max(long[] sizes) {
    long m = 0;
    for (long s : sizes) {
      m = Math.max(m, s);
    }
    return m;
  }

  /** A seed for (run seed, epoch): SplitMix64 of their combination. */
  static long mix(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public Optional<RecordTable> recordTable() {
    return Optional.ofNullable(current);
  }

  @Override
  public Set<String> tables() {
    return current == null ? Set.of() : Set.of(current.name());
  }

  @Override
  public byte[] save() {
    if (current == null) {
      return new byte[0];
    }
    byte[] name = current.name().getBytes(StandardCharsets.UTF_8);
    byte[] uri = current.uri().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 * 5 + 8 + name.length + uri.length);
    b.putInt(MAGIC).putInt(epoch).putInt(current.labels()).putLong(current.rows());
    b.putInt(name.length).put(name).putInt(uri.length).put(uri);
    return b.array();
  }

  @Override
  public void restore(byte[] saved) {
    if (saved.length == 0) {
      current = null; // saved before the first epoch's clustering
      epoch = -1;
      return;
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(saved);
      if (b.getInt() != MAGIC) {
        throw new IllegalArgumentException("not a DeepCluster state");
      }
      int e = b.getInt();
      int labels = b.getInt();
      long rows = b.getLong();
      byte[] name = new byte[b.getInt()];
      b.get(name);
      byte[] uri = new byte[b.getInt()];
      b.get(uri);
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " bytes left over");
      }
      if (labels != method.config().clusters()) {
        throw new IllegalArgumentException("the checkpoint's assignment has " + labels + " clusters, but this run has --clusters "
            + method.config().clusters() + "; resume with the run's own options");
      }
      String n = new String(name, StandardCharsets.UTF_8);
      String u = new String(uri, StandardCharsets.UTF_8);
      if (!n.matches("deepcluster-epoch-\\d{5}") || !u.endsWith("/" + n) || e < 0 || rows < 0) {
        throw new IllegalArgumentException("invalid table '" + n + "' at '" + u + "' for epoch " + e);
      }
      current = new RecordTable(n, u, rows, labels);
      epoch = e;
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("the checkpoint's DeepCluster state is cut short or corrupt (" + saved.length + " bytes)", e);
    }
  }
}
