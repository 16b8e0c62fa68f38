package io.pretext.jobs.run;

import io.pretext.data.dataset.DatasetException;
import io.pretext.data.dataset.HadoopFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A training run's directory on any Hadoop file system. Checkpoints are written to
 * {@code checkpoints/.tmp-round-NNNNNN-<nanos>/} ({@code model.zip}, then {@code run.json} last) and
 * renamed to {@code checkpoints/round-NNNNNN/}; only renamed directories containing {@code run.json}
 * count as complete. The newest {@code keep} complete checkpoints are kept.
 */
public final class RunDirectory {
  private static final Pattern COMPLETE = Pattern.compile("round-(\\d{6,})");
  public static final String METRICS_FILE = "metrics.jsonl";

  private final Path root;
  private final Configuration conf;
  private final FileSystem fs;

  public RunDirectory(String uri, Configuration conf) {
    this.root = new Path(uri);
    this.conf = conf;
    this.fs = HadoopFiles.fs(root, conf);
  }

  public Path root() {
    return root;
  }

  public Path checkpointsDir() {
    return new Path(root, "checkpoints");
  }

  public Path metricsFile() {
    return new Path(root, METRICS_FILE);
  }

  /** True if the directory exists and holds anything. */
  public boolean hasContent() {
    try {
      return fs.exists(root) && fs.listStatus(root).length > 0;
    } catch (IOException e) {
      throw new DatasetException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  /** Complete checkpoints, oldest first. */
  public List<Checkpoint> checkpoints() {
    List<Checkpoint> out = new ArrayList<>();
    try {
      if (!fs.exists(checkpointsDir())) {
        return out;
      }
      for (FileStatus st : fs.listStatus(checkpointsDir())) {
        Matcher m = COMPLETE.matcher(st.getPath().getName());
        Path info = new Path(st.getPath(), RunInfo.FILE_NAME);
        if (st.isDirectory() && m.matches() && fs.exists(info) && fs.exists(new Path(st.getPath(), Checkpoint.MODEL_FILE))) {
          out.add(new Checkpoint(st.getPath(), RunInfo.fromJson(HadoopFiles.readString(info, conf))));
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot list checkpoints in " + checkpointsDir() + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparingLong(c -> c.info().roundsDone()));
    return out;
  }

  public Optional<Checkpoint> latest() {
    List<Checkpoint> all = checkpoints();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The checkpoint to evaluate for {@code uri}: a checkpoint directory itself, or the newest
   * complete checkpoint of a run directory.
   */
  public static Checkpoint resolve(String uri, Configuration conf) {
    Path p = new Path(uri);
    if (HadoopFiles.exists(new Path(p, Checkpoint.MODEL_FILE), conf) && HadoopFiles.exists(new Path(p, RunInfo.FILE_NAME), conf)) {
      return new Checkpoint(p, RunInfo.fromJson(HadoopFiles.readString(new Path(p, RunInfo.FILE_NAME), conf)));
    }
    return new RunDirectory(uri, conf).latest().orElseThrow(() -> new DatasetException(
        "--model " + uri + " is neither a checkpoint directory (model.zip + run.json) nor a run directory with a complete checkpoint"));
  }

  /** Writes a checkpoint atomically and prunes all but the newest {@code keep}. */
  public Checkpoint save(ComputationGraph network, RunInfo info, int keep) {
    String name = String.format("round-%06d", info.roundsDone());
    Path target = new Path(checkpointsDir(), name);
    Path tmp = new Path(checkpointsDir(), ".tmp-" + name + "-" + System.nanoTime());
    try {
      fs.mkdirs(tmp);
      ModelFiles.write(network, fs, tmp); // model.zip and its SHA-256, before run.json marks the checkpoint complete
      try (OutputStream out = fs.create(new Path(tmp, RunInfo.FILE_NAME), true)) {
        out.write(info.toJson().getBytes(StandardCharsets.UTF_8));
      }
      if (fs.exists(target)) {
        fs.delete(target, true);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename " + tmp + " -> " + target + " failed");
      }
      HadoopFiles.writeAtomically(new Path(root, RunInfo.FILE_NAME), info.toJson().getBytes(StandardCharsets.UTF_8), conf);
    } catch (IOException e) {
      throw new DatasetException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
    prune(keep);
    return new Checkpoint(target, info);
  }

  private void prune(int keep) {
    List<Checkpoint> all = checkpoints();
    try {
      for (int i = 0; i < all.size() - keep; i++) {
        fs.delete(all.get(i).dir(), true);
      }
      for (FileStatus st : fs.listStatus(checkpointsDir())) {
        if (st.getPath().getName().startsWith(".tmp-")) {
          fs.delete(st.getPath(), true); // left by a crash while writing
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot prune checkpoints in " + checkpointsDir() + ": " + e.getMessage(), e);
    }
  }

  /** Rewrites metrics.jsonl atomically with {@code lines} (works on file systems without append, such as S3). */
  public void writeMetrics(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    HadoopFiles.writeAtomically(metricsFile(), sb.toString().getBytes(StandardCharsets.UTF_8), conf);
  }

  /** Lines of metrics.jsonl, or none. */
  public List<String> readMetrics() {
    if (!HadoopFiles.exists(metricsFile(), conf)) {
      return new ArrayList<>();
    }
    List<String> out = new ArrayList<>();
    for (String line : HadoopFiles.readString(metricsFile(), conf).split("\n")) {
      if (!line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }
}
