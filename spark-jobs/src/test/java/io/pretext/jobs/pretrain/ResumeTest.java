package io.pretext.jobs.pretrain;

import static io.pretext.jobs.pretrain.Runs.crashAfter;
import static io.pretext.jobs.pretrain.Runs.latest;
import static io.pretext.jobs.pretrain.Runs.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.testing.SharedSpark;
import io.pretext.jobs.run.RunDirectory;
import io.pretext.jobs.run.RunException;
import io.pretext.model.method.MethodState;
import io.pretext.model.method.MultiViewMethod;
import io.pretext.model.method.contrastive.SimClr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * {@code --resume} refuses every change that would alter what a run trains (each class of setting, and another
 * dataset), accepts changes that do not, and {@code --resume auto} serves a blind relaunch. A method's driver-side
 * state is saved with every checkpoint and restored on resume.
 */
class ResumeTest {
  @TempDir static Path tmp;
  static Path data;
  static Path otherData;
  static Path crashed;
  static SparkSession spark;

  @BeforeAll
  static void crashedRun() throws IOException {
    spark = SharedSpark.get();
    data = TinyCorpus.prepare(tmp.resolve("corpus"), 240);
    otherData = TinyCorpus.prepare(tmp.resolve("other"), 200);
    crashed = tmp.resolve("run-crashed");
    assertThrows(RuntimeException.class, () -> train(config(crashed, false), List.of(crashAfter(4))));
  }

  static PretrainConfig config(Path run, boolean resume, String... more) {
    List<String> args = new ArrayList<>(List.of("--data", data.toString(), "--run", run.toString(), "--workers", "1",
        "--batch-size-per-worker", "16", "--averaging-frequency", "2", "--epochs", "2", "--lr", "2e-3", "--seed", "7",
        "--checkpoint-every", "3", "--keep-checkpoints", "2", "--projection-hidden", "32", "--projection-dim", "16"));
    if (resume) {
      args.add("--resume");
    }
    args.addAll(List.of(more));
    return io.pretext.jobs.cli.PretrainCommand.configFrom(args.toArray(String[]::new));
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("optimiser", new String[] {"--lr", "3e-3"}, "--lr"),
        Arguments.of("schedule", new String[] {"--warmup-epochs", "0.5"}, "--warmup-epochs"),
        Arguments.of("length", new String[] {"--epochs", "3"}, "--epochs"),
        Arguments.of("rounds", new String[] {"--averaging-frequency", "3"}, "--averaging-frequency"),
        Arguments.of("seed", new String[] {"--seed", "8"}, "--seed"),
        Arguments.of("encoder", new String[] {"--encoder", "resnet18-small"}, "--encoder"),
        Arguments.of("method option", new String[] {"--temperature", "0.3"}, "--temperature"),
        Arguments.of("head size", new String[] {"--projection-dim", "8"}, "--projection-dim"),
        Arguments.of("view recipe", new String[] {"--jitter", "0.6"}, "--jitter"),
        Arguments.of("per-view recipe", new String[] {"--blur-prob", "0,0.1"}, "--blur-prob"),
        Arguments.of("method", new String[] {"--method", "byol"}, "--method"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void resumeRefusesChangesThatAlterTheResult(String what, String[] change, String option) {
    RunException e = assertThrows(RunException.class, () -> train(config(crashed, true, change), List.of()));
    assertTrue(e.getMessage().contains(option + ":") && e.getMessage().contains("in the checkpoint"), e.getMessage());
  }

  @Test
  void resumeRefusesAnotherDatasetAndListsEveryDifference() {
    PretrainConfig c = config(crashed, true, "--data", otherData.toString(), "--lr", "5e-3");
    RunException e = assertThrows(RunException.class, () -> train(c, List.of()));
    assertTrue(e.getMessage().contains("the dataset") && e.getMessage().contains("manifest"), e.getMessage());
    assertTrue(e.getMessage().contains("--lr: 0.002 in the checkpoint, 0.005 now"), e.getMessage());
  }

  @Test
  void resumeAcceptsWhatDoesNotChangeTheResultAndAutoStartsOrResumes() throws IOException {
    Path run = tmp.resolve("run-auto");
    assertThrows(RuntimeException.class, () -> train(config(run, false, "--resume", "auto"), List.of(crashAfter(5))));
    assertEquals(3, latest(run).info().roundsDone(), "--resume auto started a fresh run");
    PretrainJob.Result r = train(config(run, false, "--resume", "auto", "--checkpoint-every", "5", "--keep-checkpoints", "1"), List.of());
    assertTrue(r.resumed(), "the same command line resumed");
    assertEquals(14, r.roundsDone());
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertEquals(14, lines.stream().filter(l -> l.contains("\"type\":\"round\"")).count(), "one line per round, none twice");
    assertEquals(2, lines.stream().filter(l -> l.contains("\"type\":\"epoch\"")).count(), "one line per epoch");
    assertEquals(16, lines.size());
    assertEquals(1, new RunDirectory(run.toString(), spark.sparkContext().hadoopConfiguration()).checkpoints().size());
  }

  @Test
  void resumeWithoutACheckpointIsRefused() {
    RunException e = assertThrows(RunException.class, () -> train(config(tmp.resolve("run-empty"), true), List.of()));
    assertTrue(e.getMessage().contains("no complete checkpoint") && e.getMessage().contains("--resume auto"), e.getMessage());
  }

  /**
   * SimCLR with a driver-side state that records the epoch hooks it saw, as a method with a key queue or cluster
   * assignments would keep its state.
   */
  static final class EpochCountingSimClr implements MultiViewMethod {
    private static final long serialVersionUID = 1L;
    private final SimClr simclr;

    EpochCountingSimClr(SimClr simclr) {
      this.simclr = simclr;
    }

    @Override
    public String name() {
      return simclr.name();
    }

    @Override
    public int views() {
      return simclr.views();
    }

    @Override
    public io.pretext.model.method.ViewDefaults viewDefaults() {
      return simclr.viewDefaults();
    }

    @Override
    public MultiDataSet trainingBatch(io.pretext.model.batch.ImageBatch batch) {
      return simclr.trainingBatch(batch);
    }

    @Override
    public org.deeplearning4j.nn.conf.ComputationGraphConfiguration configure(io.pretext.model.encoder.EncoderSpec encoder,
        io.pretext.model.ModelInput input, io.pretext.model.GraphSettings settings) {
      return simclr.configure(encoder, input, settings);
    }

    @Override
    public String representationVertex() {
      return simclr.representationVertex();
    }

    @Override
    public MethodState newState(io.pretext.model.lifecycle.RunPlan plan) {
      return new Counts();
    }
  }

  /** Epoch starts and ends seen, and the sum of the epochs started (so the order matters), saved as 24 bytes. */
  static final class Counts implements MethodState {
    long starts;
    long ends;
    long startedEpochs;

    @Override
    public void onEpochStart(io.pretext.model.lifecycle.MethodContext context) {
      starts++;
      startedEpochs = startedEpochs * 31 + context.epoch();
    }

    @Override
    public void onEpochEnd(io.pretext.model.lifecycle.MethodContext context) {
      ends++;
    }

    @Override
    public byte[] save() {
      return ByteBuffer.allocate(24).putLong(starts).putLong(ends).putLong(startedEpochs).array();
    }

    @Override
    public void restore(byte[] saved) {
      if (saved.length != 24) {
        throw new IllegalArgumentException("state of " + saved.length + " bytes, expected 24");
      }
      ByteBuffer b = ByteBuffer.wrap(saved);
      starts = b.getLong();
      ends = b.getLong();
      startedEpochs = b.getLong();
    }
  }

  private static PretrainConfig counting(Path run, boolean resume) {
    PretrainConfig c = config(run, resume);
    return new PretrainConfig(c.run(), c.training(), new EpochCountingSimClr((SimClr) c.method()), c.recipe(), c.options());
  }

  @Test
  void methodStateIsCheckpointedAndRestored() throws IOException {
    // 7 rounds per epoch, checkpoints every 3: the crash after round 8 resumes from round 6, inside epoch 0.
    Path whole = tmp.resolve("run-state-whole");
    train(counting(whole, false), List.of());
    byte[] expected = latest(whole).loadState(spark.sparkContext().hadoopConfiguration());
    assertArrayEquals(ByteBuffer.allocate(24).putLong(2).putLong(2).putLong(1).array(), expected, "epochs 0 and 1 started and ended");

    Path cut = tmp.resolve("run-state-cut");
    assertThrows(RuntimeException.class, () -> train(counting(cut, false), List.of(crashAfter(8))));
    byte[] atCrash = latest(cut).loadState(spark.sparkContext().hadoopConfiguration());
    assertArrayEquals(ByteBuffer.allocate(24).putLong(1).putLong(0).putLong(0).array(), atCrash, "round 6: epoch 0 started, not ended");
    train(counting(cut, true), List.of());
    assertArrayEquals(expected, latest(cut).loadState(spark.sparkContext().hadoopConfiguration()));
  }
}
