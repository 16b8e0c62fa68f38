package io.pretext.bench;

import io.pretext.data.text.TextSequences;
import io.pretext.data.text.masking.DynamicMasking;
import io.pretext.data.text.masking.MaskingConfig;
import io.pretext.data.text.masking.TokenBatchBuilder;
import io.pretext.data.text.tokenizer.BasicTokenizer;
import io.pretext.data.text.tokenizer.BertTokenizer;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.data.text.tokenizer.WordPieceTrainer;
import io.pretext.model.batch.TokenBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-threaded (per-core) throughput of the text pipeline's executor-side work on WordNet glosses (all 117,659 of
 * {@code /usr/share/wordnet/data.*}, Debian's {@code wordnet-base}; seeded synthetic sentences when it is absent), with
 * an uncased 8000-token vocabulary trained on them in the setup:
 * <ul>
 *   <li>{@code tokenize}: {@link BertTokenizer#encode} (prepare-text's tokenisation);
 *   <li>{@code mask}: a masked {@link TokenBatch} of 32 already tokenised records (BERT's recipe), the per-epoch work
 *       of pretraining;
 *   <li>{@code tokenizeAndMask}: both, from text to the padded masked batch.
 * </ul>
 * Scores are texts/s ({@code @OperationsPerInvocation}) and, in the {@code tokens} secondary result, <b>tokens/s</b>
 * (WordPiece pieces; [CLS]/[SEP] not counted).
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests &amp;&amp; java -jar bench/target/benchmarks.jar TextThroughput -f 1 -wi 3 -w 3 -i 5 -r 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TextThroughputBench {
  static final int BATCH = 32;
  static final int SEQ_LEN = 128;

  @Param({"/usr/share/wordnet"})
  public String wordnet;

  private String[] texts;
  private int[][] sequences;
  private BertTokenizer tokenizer;
  private DynamicMasking masking;
  private BitSet continuation;
  private int next;
  private int epoch;

  /** The tokens counted by each benchmark, reported per second next to the primary score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counts {
    public long tokens;

    @Setup(Level.Iteration)
    public void reset() {
      tokens = 0;
    }
  }

  @Setup(Level.Trial)
  public void setup() throws IOException {
    texts = glosses(Path.of(wordnet)).toArray(String[]::new);
    BasicTokenizer basic = new BasicTokenizer(true);
    Map<String, Long> counts = new HashMap<>();
    for (String t : texts) {
      basic.forEachWord(t, w -> counts.merge(w, 1L, Long::sum));
    }
    Vocabulary vocab = WordPieceTrainer.train(counts, new WordPieceTrainer.Settings(8000, 2, 1000));
    tokenizer = new BertTokenizer(vocab, true);
    continuation = vocab.continuationFlags();
    masking = DynamicMasking.of(MaskingConfig.bert(), 42, vocab);
    sequences = new int[texts.length][];
    long tokens = 0;
    for (int i = 0; i < texts.length; i++) {
      int[] pieces = tokenizer.encode(texts[i]);
      tokens += pieces.length;
      sequences[i] = TextSequences.windows(pieces, SEQ_LEN, continuation).get(0);
    }
    System.out.printf("%n%d texts, %.1f tokens per text, vocabulary %d%n", texts.length, (double) tokens / texts.length, vocab.size());
  }

  /** WordNet's glosses (the text after " | " of every data line), or 100,000 synthetic sentences. */
  static List<String> glosses(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (String pos : new String[] {"noun", "verb", "adj", "adv"}) {
      Path f = dir.resolve("data." + pos);
      if (!Files.exists(f)) {
        continue;
      }
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        int bar = line.indexOf(" | ");
        if (!line.startsWith("  ") && bar > 0) {
          out.add(line.substring(bar + 3).stripTrailing());
        }
      }
    }
    if (out.isEmpty()) {
      SplittableRandom r = new SplittableRandom(7);
      String[] words = "the of and to in a is that for it as was with be by on not he this are or his from at which".split(" ");
      for (int i = 0; i < 100_000; i++) {
        StringBuilder b = new StringBuilder();
        for (int k = 3 + r.nextInt(20); k > 0; k--) {
          b.append(words[r.nextInt(words.length)]).append(r.nextInt(10) == 0 ? ", " : " ");
        }
        out.add(b.toString().trim());
      }
    }
    return out;
  }

  private int nextIndex() {
    if (++next == texts.length) {
      next = 0;
      epoch++;
    }
    return next;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long tokenize(Counts c) {
    long sum = 0;
    for (int i = 0; i < BATCH; i++) {
      int[] pieces = tokenizer.encode(texts[nextIndex()]);
      c.tokens += pieces.length;
      sum += pieces[0];
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public TokenBatch mask(Counts c) {
    TokenBatchBuilder b = new TokenBatchBuilder();
    for (int i = 0; i < BATCH; i++) {
      int k = nextIndex();
      b.add(sequences[k], k);
      c.tokens += sequences[k].length - 2;
    }
    return b.masked(masking, epoch);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public TokenBatch tokenizeAndMask(Counts c) {
    TokenBatchBuilder b = new TokenBatchBuilder();
    for (int i = 0; i < BATCH; i++) {
      int k = nextIndex();
      int[] pieces = tokenizer.encode(texts[k]);
      c.tokens += pieces.length;
      b.add(TextSequences.windows(pieces, SEQ_LEN, continuation).get(0), k);
    }
    return b.masked(masking, epoch);
  }
}
