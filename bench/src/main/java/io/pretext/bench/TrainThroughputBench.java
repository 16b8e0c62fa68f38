package io.pretext.bench;

import io.pretext.model.GraphSettings;
import io.pretext.model.InputShape;
import io.pretext.model.backend.LayerHelpers;
import io.pretext.model.batch.ImageBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.method.contrastive.SimClr;
import io.pretext.model.method.contrastive.SimClrConfig;
import io.pretext.model.optim.OptimizerConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput of SimCLR on an encoder ({@code small-cnn} by default), {@code ComputationGraph.fit(MultiDataSet)}
 * only: the views are made once (uniform random), so augmentation and data loading are excluded.
 *
 * <p>For each implementation ({@code builtin}: DL4J's Java conv / batch-norm; {@code onednn}: DL4J's oneDNN layer
 * helpers, needs a oneDNN nd4j-native classifier) and each thread count, in one JVM: set the thread knobs, build a
 * fresh graph, warm up, then time {@code --repeats} runs of {@code --iters} fits and report images/s (1 image = 2
 * views) of the best and the median run. Thread knobs, all set at run time: libnd4j's own pool
 * ({@code Environment.setMaxThreads / setMaxMasterThreads}), OpenMP (used by oneDNN and libnd4j,
 * {@code NativeOps.setOmpNumThreads}) and OpenBLAS ({@code Blas.setMaxThreads}).
 *
 * <p>{@code --workers W} instead runs W workers in W threads of this JVM at once, as Spark local mode does, to
 * measure how two workers share the cores ({@code --no-per-thread-omp} leaves out the per-thread OpenMP setting,
 * to show why it is needed).
 *
 * <p>{@code --profile} adds, per configuration, (a) the split of one {@code fit} into forward, backward (+ loss),
 * score and updater from listener timestamps, and (b) per-layer forward and backward times measured by running each
 * graph vertex alone on its real input (no workspaces).
 *
 * <pre>
 * java -cp ... io.pretext.bench.TrainThroughputBench [--batch 256] [--threads 1,2] [--impl builtin,onednn]
 *      [--encoder small-cnn] [--size 28] [--channels 1] [--warmup 3] [--iters 5] [--repeats 3] [--profile]
 * </pre>
 * Prints a table and one JSON line ({@code {"bench":"train_throughput",...}}).
 */
public final class TrainThroughputBench {

  private TrainThroughputBench() {
  }

  record Options(int batch, int[] threads, List<String> impls, String encoder, int size, int channels, int warmup,
           int iters, int repeats, boolean profile, int workers, boolean perThreadOmp) {

    static Options parse(String[] args) {
      int batch = 256;
      int[] threads = {1, 2};
      List<String> impls = List.of("builtin", "onednn");
      String encoder = "small-cnn";
      int size = 28;
      int channels = 1;
      int warmup = 3;
      int iters = 5;
      int repeats = 3;
      boolean profile = false;
      int workers = 0;
      boolean perThreadOmp = true;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
          case "--impl" -> impls = List.of(args[++i].split(","));
          case "--encoder" -> encoder = args[++i];
          case "--size" -> size = Integer.parseInt(args[++i]);
          case "--channels" -> channels = Integer.parseInt(args[++i]);
          case "--warmup" -> warmup = Integer.parseInt(args[++i]);
          case "--iters" -> iters = Integer.parseInt(args[++i]);
          case "--repeats" -> repeats = Integer.parseInt(args[++i]);
          case "--profile" -> profile = true;
          case "--workers" -> workers = Integer.parseInt(args[++i]);
          case "--no-per-thread-omp" -> perThreadOmp = false;
          default -> throw new IllegalArgumentException("Unknown option '" + a + "'; options: --batch N "
              + "--threads 1,2 --impl builtin,onednn --encoder NAME --size PX --channels C --warmup N --iters N "
              + "--repeats N --profile --workers N --no-per-thread-omp");
        }
      }
      for (String impl : impls) {
        if (!impl.equals("builtin") && !impl.equals("onednn")) {
          throw new IllegalArgumentException("--impl " + impl + " is invalid: allowed builtin, onednn");
        }
      }
      if (batch < 1 || iters < 1 || repeats < 1 || warmup < 0 || threads.length == 0 || channels < 1) {
        throw new IllegalArgumentException("--batch, --iters, --repeats, --channels must be >= 1, --warmup >= 0");
      }
      if (workers < 0) {
        throw new IllegalArgumentException("--workers " + workers + " is invalid: must be >= 1 (or absent)");
      }
      return new Options(batch, threads, impls, encoder, size, channels, warmup, iters, repeats, profile, workers,
          perThreadOmp);
    }
  }

  /**
   * {@code cpuImagesPerSec}: images per CPU-second of the training thread (median over repeats), with one thread
   * only (native code then runs on the calling thread). Unlike wall time it does not drop when other processes take
   * the core, so it compares runs made on a busy machine; NaN with more threads.
   */
  record Result(String impl, int threads, double bestImagesPerSec, double medianImagesPerSec, String helpers,
                double cpuImagesPerSec) {
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    InputShape shape = new InputShape(o.channels(), o.size(), o.size());
    SimClr simClr = new SimClr(SimClrConfig.defaults());
    GraphSettings settings = GraphSettings.of(42, OptimizerConfig.adamW(1e-3, 1e-4, 10, 1000));
    ComputationGraphConfiguration conf = simClr.configure(Encoders.byName(o.encoder()), shape, settings);
    INDArray views = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(1), shape.batchShape(2L * o.batch()))
        .castTo(DataType.FLOAT);
    MultiDataSet batch = simClr.trainingBatch(ImageBatch.of(views, 2));

    System.out.printf(Locale.ROOT, "SimCLR %s %dx%dx%d, batch %d images (%d views), warmup %d, %d x %d fits%n",
        o.encoder(), o.size(), o.size(), o.channels(), o.batch(), 2 * o.batch(), o.warmup(), o.repeats(), o.iters());
    System.out.println("libnd4j oneDNN build: " + org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isBuiltWithOneDnn()
        + ", backend " + Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    if (o.workers() > 0) {
      workers(o, conf, batch);
      return;
    }
    List<Result> results = new ArrayList<>();
    for (String impl : o.impls()) {
      for (int t : o.threads()) {
        setThreads(t);
        ComputationGraph g = build(conf, impl.equals("onednn"));
        String helpers = String.join(",", new java.util.LinkedHashSet<>(LayerHelpers.helpersByLayer(g).values()));
        if (impl.equals("onednn") && !LayerHelpers.allOneDnn(g)) {
          System.out.println("onednn: unavailable (layers: " + LayerHelpers.helpersByLayer(g)
              + "); use a oneDNN nd4j-native classifier, see docs/performance.md");
          continue;
        }
        for (int i = 0; i < o.warmup(); i++) {
          g.fit(batch);
        }
        double[] rates = new double[o.repeats()];
        double[] cpuRates = new double[o.repeats()];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < o.repeats(); r++) {
          long c0 = mx.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          for (int i = 0; i < o.iters(); i++) {
            g.fit(batch);
          }
          rates[r] = (double) o.iters() * o.batch() / ((System.nanoTime() - t0) / 1e9);
          cpuRates[r] = (double) o.iters() * o.batch() / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double[] cpuSorted = cpuRates.clone();
        Arrays.sort(cpuSorted);
        Result res = new Result(impl, t, sorted[sorted.length - 1], sorted[sorted.length / 2], helpers,
            t == 1 ? cpuSorted[cpuSorted.length / 2] : Double.NaN);
        results.add(res);
        System.out.printf(Locale.ROOT, "  %-8s threads=%d  best %7.1f img/s  median %7.1f img/s  runs %s%s%n",
            impl, t, res.bestImagesPerSec(), res.medianImagesPerSec(), fmt(rates),
            t == 1 ? String.format(Locale.ROOT, "  per CPU-second of the training thread %.1f", res.cpuImagesPerSec())
                : "");
        if (o.profile()) {
          profile(g, batch, o);
        }
      }
    }
    printTable(results);
    System.out.println(json(o, results));
  }

  /**
   * {@code --workers W}: W data-parallel workers in this JVM, as Spark local mode runs them: W threads, each with its
   * own graph and one native thread ({@code NativeThreads.set(1)} on the main thread, then per worker thread
   * {@code applyToCurrentThread()} unless {@code --no-per-thread-omp}), fitting the same pre-made batch at the same
   * time. Prints the total images/s and each worker's images per CPU-second.
   */
  private static void workers(Options o, ComputationGraphConfiguration conf, MultiDataSet batch) throws Exception {
    setThreads(1);
    System.setProperty(LayerHelpers.DISABLE_PROPERTY, "false");
    int w = o.workers();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(w);
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(w);
    List<java.util.concurrent.Future<double[]>> futures = new ArrayList<>();
    for (int k = 0; k < w; k++) {
      futures.add(pool.submit(() -> {
        if (o.perThreadOmp()) {
          io.pretext.model.backend.NativeThreads.applyToCurrentThread();
        }
        ComputationGraph g = new ComputationGraph(conf.clone());
        g.init();
        for (int i = 0; i < o.warmup(); i++) {
          g.fit(batch);
        }
        start.await();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int fits = o.iters() * o.repeats();
        for (int i = 0; i < fits; i++) {
          g.fit(batch);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        return new double[] {fits * (double) o.batch() / wall, fits * (double) o.batch() / cpu};
      }));
    }
    double total = 0;
    StringBuilder per = new StringBuilder();
    for (java.util.concurrent.Future<double[]> f : futures) {
      double[] r = f.get();
      total += r[0];
      per.append(String.format(Locale.ROOT, " %.1f (%.1f per CPU-second)", r[0], r[1]));
    }
    pool.shutdown();
    System.out.printf(Locale.ROOT, "  %d workers in one JVM, per-thread OpenMP setting %s: total %.1f img/s; workers:%s%n",
        w, o.perThreadOmp() ? "on" : "off", total, per);
    System.out.printf(Locale.ROOT, "{\"bench\":\"train_throughput_workers\",\"encoder\":\"%s\",\"batch_images\":%d,"
        + "\"workers\":%d,\"per_thread_omp\":%s,\"images_per_s_total\":%.1f}%n", o.encoder(), o.batch(), w,
        o.perThreadOmp(), total);
  }

  private static void setThreads(int n) {
    io.pretext.model.backend.NativeThreads.set(n);
  }

  private static ComputationGraph build(ComputationGraphConfiguration conf, boolean helpers) {
    System.setProperty(LayerHelpers.DISABLE_PROPERTY, Boolean.toString(!helpers));
    ComputationGraph g = new ComputationGraph(conf.clone());
    g.init();
    return g;
  }

  /** Split of fit() into phases (listener timestamps), then per-vertex forward / backward times. */
  private static void profile(ComputationGraph g, MultiDataSet batch, Options o) {
    PhaseTimer timer = new PhaseTimer();
    g.addListeners(timer);
    for (int i = 0; i < o.iters() + 1; i++) {
      timer.start = System.nanoTime();
      g.fit(batch);
      timer.record(System.nanoTime());
    }
    g.setListeners(List.of());
    System.out.println("    fit() phases, ms per iteration (best of " + o.iters() + "):");
    timer.best.forEach((k, v) -> System.out.printf(Locale.ROOT, "      %-28s %8.1f%n", k, v / 1e6));

    Map<String, INDArray> acts = new LinkedHashMap<>(g.feedForward(batch.getFeatures(0), true));
    acts.put(SimClr.INPUT, batch.getFeatures(0));
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    System.out.println("    per vertex, ms (best of " + o.iters() + ", run alone, no workspaces):");
    System.out.printf(Locale.ROOT, "      %-22s %-24s %9s %9s%n", "vertex", "helper", "forward", "backward");
    double fwdSum = 0;
    double bwdSum = 0;
    Map<String, String> helpers = LayerHelpers.helpersByLayer(g);
    for (int idx : g.topologicalSortOrder()) {
      GraphVertex v = g.getVertices()[idx];
      if (v.isInputVertex()) {
        continue;
      }
      String name = v.getVertexName();
      List<String> inNames = g.getConfiguration().getVertexInputs().get(name);
      INDArray[] in = inNames.stream().map(acts::get).toArray(INDArray[]::new);
      double fwd = Double.MAX_VALUE;
      double bwd = Double.MAX_VALUE;
      for (int rep = 0; rep < o.iters(); rep++) {
        v.setInputs(in);
        long t0 = System.nanoTime();
        if (v instanceof LayerVertex lv) {
          lv.applyPreprocessorAndSetInput(mgr);
        }
        INDArray out = v.doForward(true, mgr);
        long t1 = System.nanoTime();
        Layer layer = v.hasLayer() ? v.getLayer() : null;
        if (layer instanceof IOutputLayer outLayer) {
          outLayer.setLabels(batch.getLabels(0));
        } else {
          v.setEpsilon(Nd4j.randn(DataType.FLOAT, out.shape()));
        }
        long t2 = System.nanoTime();
        v.doBackward(false, mgr);
        long t3 = System.nanoTime();
        fwd = Math.min(fwd, t1 - t0);
        bwd = Math.min(bwd, t3 - t2);
      }
      fwdSum += fwd;
      bwdSum += bwd;
      System.out.printf(Locale.ROOT, "      %-22s %-24s %9.1f %9.1f%n", name,
          helpers.getOrDefault(name, v.hasLayer() ? v.getLayer().getClass().getSimpleName() : "vertex"),
          fwd / 1e6, bwd / 1e6);
    }
    System.out.printf(Locale.ROOT, "      %-22s %-24s %9.1f %9.1f%n", "sum", "", fwdSum / 1e6, bwdSum / 1e6);
    g.clear();
  }

  /** Listener timestamps: forward ends at onForwardPass, backward + score at onBackwardPass, etc. */
  private static final class PhaseTimer extends BaseTrainingListener {
    long start;
    long forward;
    long backward;
    long gradient;
    long updated;
    final Map<String, Double> best = new LinkedHashMap<>();
    private boolean first = true;

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
      forward = System.nanoTime();
    }

    @Override
    public void onBackwardPass(Model model) {
      backward = System.nanoTime();
    }

    @Override
    public void onGradientCalculation(Model model) {
      gradient = System.nanoTime();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
      updated = System.nanoTime();
    }

    void record(long end) {
      if (first) { // the first fit after adding a listener re-creates workspaces
        first = false;
        return;
      }
      put("forward", forward - start);
      put("backward + loss + score", backward - forward);
      put("gradient bookkeeping", gradient - backward);
      put("updater + step", updated - gradient);
      put("after iterationDone", end - updated);
      put("total", end - start);
    }

    private void put(String k, double ns) {
      best.merge(k, ns, Math::min);
    }
  }

  private static void printTable(List<Result> results) {
    System.out.println();
    System.out.println("| impl | threads | images/s (best) | images/s (median) | views/s (best) | layer helpers |");
    System.out.println("|---|---|---|---|---|---|");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %s |%n", r.impl(), r.threads(),
          r.bestImagesPerSec(), r.medianImagesPerSec(), 2 * r.bestImagesPerSec(), r.helpers());
    }
  }

  private static String json(Options o, List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "{\"bench\":\"train_throughput\",\"method\":\"simclr\",\"encoder\":\"%s\","
        + "\"image\":[%d,%d,%d],\"batch_images\":%d,\"iters\":%d,\"repeats\":%d,\"results\":[",
        o.encoder(), o.channels(), o.size(), o.size(), o.batch(), o.iters(), o.repeats()));
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"impl\":\"%s\",\"threads\":%d,\"images_per_s_best\":%.1f,\"images_per_s_median\":%.1f%s}",
          r.impl(), r.threads(), r.bestImagesPerSec(), r.medianImagesPerSec(),
          Double.isNaN(r.cpuImagesPerSec()) ? ""
              : String.format(Locale.ROOT, ",\"images_per_cpu_s\":%.1f", r.cpuImagesPerSec())));
    }
    return sb.append("]}").toString();
  }

  private static String fmt(double[] xs) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < xs.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", xs[i]));
    }
    return sb.append(']').toString();
  }
}
