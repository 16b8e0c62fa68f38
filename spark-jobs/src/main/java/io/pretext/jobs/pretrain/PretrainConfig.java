package io.pretext.jobs.pretrain;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Validated, immutable settings of {@code pretext pretrain}. Each check names the option, the
 * value and the allowed range. Defaults (in {@link io.pretext.jobs.cli.PretrainCommand}) are the
 * demo's tuned recipe for Fashion-MNIST-sized images; see the README for why.
 *
 * @param data prepared dataset URI
 * @param run run directory URI
 * @param resume continue from the newest complete checkpoint in {@code run}
 * @param method SSL method ({@code simclr})
 * @param encoder encoder name ({@code small-cnn}, {@code resnet18-small}, {@code resnet50})
 * @param workers parameter-averaging workers
 * @param batchSizePerWorker images per worker minibatch (each contributes two views)
 * @param averagingFrequency minibatches each worker fits between averagings
 * @param epochs passes over the dataset
 * @param lr peak learning rate
 * @param weightDecay decoupled (AdamW) or L2 (Adam) weight decay
 * @param optimizer {@code adamw} or {@code adam}
 * @param warmupEpochs linear warm-up length, in epochs (fractional allowed)
 * @param temperature NT-Xent temperature
 * @param projectionHidden hidden widths of the projection head
 * @param projectionDim output width of the projection head
 * @param cropScaleMin smallest RandomResizedCrop area fraction
 * @param jitter colour jitter strength s (brightness = contrast = saturation = 0.8 s, hue = 0.2 s)
 * @param jitterProb probability that a view gets colour jitter
 * @param blurProb Gaussian blur probability
 * @param seed seed of everything random in the run
 * @param checkpointEvery rounds between checkpoints
 * @param keepCheckpoints complete checkpoints to keep
 * @param monitorLabeled optional labeled dataset for an online kNN accuracy each epoch
 */
public record PretrainConfig(String data, String run, boolean resume, String method, String encoder, int workers,
    int batchSizePerWorker, int averagingFrequency, int epochs, double lr, double weightDecay, String optimizer,
    double warmupEpochs, double temperature, List<Integer> projectionHidden, int projectionDim, double cropScaleMin,
    double jitter, double jitterProb, double blurProb, long seed, int checkpointEvery, int keepCheckpoints, String monitorLabeled)
    implements Serializable {

  public PretrainConfig {
    require(data != null && !data.isBlank(), "--data", data, "a prepared dataset URI");
    require(run != null && !run.isBlank(), "--run", run, "a run directory URI");
    method = method == null ? "simclr" : method.toLowerCase(Locale.ROOT);
    require(method.equals("simclr"), "--method", method, "simclr (BYOL, MoCo v2, DeepCluster and masked-LM are planned)");
    require(workers >= 1 && workers <= 4096, "--workers", workers, "an integer 1..4096");
    require(batchSizePerWorker >= 2 && batchSizePerWorker <= 65536, "--batch-size-per-worker", batchSizePerWorker,
        "an integer 2..65536 (NT-Xent needs at least two images to contrast)");
    require(averagingFrequency >= 1 && averagingFrequency <= 10_000, "--averaging-frequency", averagingFrequency, "an integer 1..10000");
    require(epochs >= 1 && epochs <= 100_000, "--epochs", epochs, "an integer 1..100000");
    require(lr > 0 && lr < 10 && Double.isFinite(lr), "--lr", lr, "a number in (0, 10)");
    require(weightDecay >= 0 && weightDecay < 1, "--weight-decay", weightDecay, "a number in [0, 1)");
    optimizer = optimizer == null ? "adamw" : optimizer.toLowerCase(Locale.ROOT);
    require(optimizer.equals("adamw") || optimizer.equals("adam"), "--optimizer", optimizer, "adamw or adam");
    require(warmupEpochs >= 0 && warmupEpochs <= epochs, "--warmup-epochs", warmupEpochs, "a number in [0, --epochs]");
    require(temperature > 0 && temperature <= 100 && Double.isFinite(temperature), "--temperature", temperature, "a number in (0, 100]");
    projectionHidden = projectionHidden == null ? List.of() : List.copyOf(projectionHidden);
    for (int h : projectionHidden) {
      require(h >= 1 && h <= 65536, "--projection-hidden", h, "widths 1..65536");
    }
    require(projectionDim >= 1 && projectionDim <= 65536, "--projection-dim", projectionDim, "an integer 1..65536");
    require(cropScaleMin > 0 && cropScaleMin <= 1, "--crop-scale-min", cropScaleMin, "a number in (0, 1]");
    require(jitter >= 0 && jitter <= 2, "--jitter", jitter, "a number in [0, 2]");
    require(jitterProb >= 0 && jitterProb <= 1, "--jitter-prob", jitterProb, "a probability in [0, 1]");
    require(blurProb >= 0 && blurProb <= 1, "--blur-prob", blurProb, "a probability in [0, 1]");
    require(checkpointEvery >= 1, "--checkpoint-every", checkpointEvery, "an integer >= 1 (rounds)");
    require(keepCheckpoints >= 1 && keepCheckpoints <= 1000, "--keep-checkpoints", keepCheckpoints, "an integer 1..1000");
  }

  /** Every option, for run.json. */
  public SortedMap<String, Object> asMap() {
    SortedMap<String, Object> m = new TreeMap<>();
    m.put("data", data);
    m.put("method", method);
    m.put("encoder", encoder);
    m.put("workers", workers);
    m.put("batchSizePerWorker", batchSizePerWorker);
    m.put("averagingFrequency", averagingFrequency);
    m.put("epochs", epochs);
    m.put("lr", lr);
    m.put("weightDecay", weightDecay);
    m.put("optimizer", optimizer);
    m.put("warmupEpochs", warmupEpochs);
    m.put("temperature", temperature);
    m.put("projectionHidden", projectionHidden);
    m.put("projectionDim", projectionDim);
    m.put("cropScaleMin", cropScaleMin);
    m.put("jitter", jitter);
    m.put("jitterProb", jitterProb);
    m.put("blurProb", blurProb);
    m.put("seed", seed);
    m.put("checkpointEvery", checkpointEvery);
    m.put("keepCheckpoints", keepCheckpoints);
    m.put("monitorLabeled", monitorLabeled);
    return m;
  }

}
