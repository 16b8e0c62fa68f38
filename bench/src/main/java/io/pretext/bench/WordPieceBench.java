package io.pretext.bench;

import io.pretext.data.text.tokenizer.BasicTokenizer;
import io.pretext.data.text.tokenizer.BertTokenizer;
import io.pretext.data.text.tokenizer.Vocabulary;
import io.pretext.data.text.tokenizer.WordPieceTrainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * WordPiece training and tokenisation on one thread, next to {@code bench/reference/wordpiece_reference.py}
 * (HuggingFace): the same {@code train.jsonl} (the "text" field), vocabulary 8000, uncased, min_frequency 2,
 * limit_alphabet 1000.
 *
 * <p>Wall and CPU seconds are both reported: on a machine shared with other jobs the process CPU time (JIT and GC threads
 * included) is the steadier measure.
 *
 * <ol>
 *   <li>{@code --repeats} times: count the words ({@link BasicTokenizer}, what prepare-text does in the executors) and
 *       train ({@link WordPieceTrainer}, what it does on the driver), timed separately;
 *   <li>tokenise every text with the trained vocabulary, {@code --repeats} times: tokens/s;
 *   <li>with {@code --hf-vocab}: the token-set overlap with HuggingFace's vocabulary, and the SHA-256 of all ids when
 *       tokenising with HuggingFace's vocab.txt, in the layout the Python script hashes (per text: int32 LE count, then
 *       int32 LE ids): equal hashes mean identical ids on the whole corpus.
 * </ol>
 *
 * <pre>
 * java -cp "bench/target/pretext-bench-0.1.0-SNAPSHOT.jar:$(cat spark-jobs/target/classpath.txt)" io.pretext.bench.WordPieceBench \
 *     work/wordnet/train.jsonl [--vocab-size 8000] [--repeats 5] [--hf-vocab /tmp/hf-wordnet/vocab.txt] [--out vocab.txt]
 * </pre>
 * Prints one JSON line ({@code {"bench":"wordpiece",...}}).
 */
public final class WordPieceBench {
  private WordPieceBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: WordPieceBench TRAIN_JSONL [--vocab-size N] [--repeats N] [--hf-vocab FILE] [--out FILE]");
      System.exit(2);
    }
    Path input = Path.of(args[0]);
    int vocabSize = 8000;
    int repeats = 5;
    Path hfVocab = null;
    Path out = null;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--vocab-size" -> vocabSize = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        case "--hf-vocab" -> hfVocab = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        texts.add(textField(line));
      }
    }
    BasicTokenizer basic = new BasicTokenizer(true);
    double[] countSeconds = new double[repeats];
    double[] trainSeconds = new double[repeats];
    double[] cpuSeconds = new double[repeats];
    Vocabulary vocab = null;
    for (int r = 0; r < repeats; r++) {
      long c0 = processCpuNanos();
      long t0 = System.nanoTime();
      Map<String, Long> counts = new HashMap<>();
      for (String t : texts) {
        basic.forEachWord(t, w -> counts.merge(w, 1L, Long::sum));
      }
      long t1 = System.nanoTime();
      vocab = WordPieceTrainer.train(counts, new WordPieceTrainer.Settings(vocabSize, 2, 1000));
      long t2 = System.nanoTime();
      countSeconds[r] = (t1 - t0) / 1e9;
      trainSeconds[r] = (t2 - t1) / 1e9;
      cpuSeconds[r] = (processCpuNanos() - c0) / 1e9;
    }
    if (out != null) {
      Files.write(out, vocab.toBytes());
    }
    BertTokenizer ours = new BertTokenizer(vocab, true);
    long[] perSecond = new long[repeats];
    long[] perCpuSecond = new long[repeats];
    long tokens = 0;
    for (int r = 0; r < repeats; r++) {
      long c0 = processCpuNanos();
      long t0 = System.nanoTime();
      tokens = 0;
      for (String t : texts) {
        tokens += ours.encode(t).length;
      }
      perSecond[r] = Math.round(tokens / ((System.nanoTime() - t0) / 1e9));
      perCpuSecond[r] = Math.round(tokens / ((processCpuNanos() - c0) / 1e9));
    }
    StringBuilder json = new StringBuilder();
    json.append(String.format(Locale.ROOT, "{\"bench\":\"wordpiece\",\"texts\":%d,\"vocab\":%d,\"count_seconds\":%s,\"train_seconds\":%s,"
        + "\"count_train_cpu_seconds\":%s,\"tokens\":%d,\"tokenize_tokens_per_s\":%s,\"tokenize_tokens_per_cpu_s\":%s", texts.size(),
        vocab.size(), round(countSeconds), round(trainSeconds), round(cpuSeconds), tokens, Arrays.toString(perSecond), Arrays.toString(perCpuSecond)));
    if (hfVocab != null) {
      Vocabulary hf = Vocabulary.parse(Files.readAllBytes(hfVocab), hfVocab.toString());
      Set<String> common = new HashSet<>(hf.tokens());
      common.retainAll(vocab.tokens());
      json.append(String.format(Locale.ROOT, ",\"hf_vocab\":%d,\"common_tokens\":%d,\"ids_sha256_with_hf_vocab\":\"%s\"", hf.size(),
          common.size(), idsSha256(new BertTokenizer(hf, true), texts)));
    }
    System.out.println(json.append('}'));
  }

  /** CPU time of the whole JVM (JIT and GC threads included), like Python's process_time for the reference. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** SHA-256 over every text's ids: int32 LE count, then int32 LE ids (bench/reference/wordpiece_reference.py's layout). */
  static String idsSha256(BertTokenizer tokenizer, List<String> texts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String t : texts) {
        int[] ids = tokenizer.encode(t);
        ByteBuffer b = ByteBuffer.allocate(4 * (ids.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ids.length);
        for (int id : ids) {
          b.putInt(id);
        }
        md.update(b.array());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String round(double[] seconds) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < seconds.length; i++) {
      b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", seconds[i]));
    }
    return b.append(']').toString();
  }

  /** The "text" string of a JSON Lines record written by WordNetGlosses (Jackson's escapes). */
  static String textField(String line) {
    int at = line.indexOf("\"text\":");
    if (at < 0) {
      throw new IllegalArgumentException("no \"text\" field in: " + line);
    }
    int i = line.indexOf('"', at + 7) + 1;
    StringBuilder b = new StringBuilder();
    while (line.charAt(i) != '"') {
      char c = line.charAt(i++);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = line.charAt(i++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          b.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
          i += 4;
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }
}
