package io.pretext.model.method.maskedlm;

import io.pretext.model.GraphSettings;
import io.pretext.model.TokenInput;
import io.pretext.model.backend.NativeThreads;
import io.pretext.model.batch.TokenBatch;
import io.pretext.model.encoder.Encoders;
import io.pretext.model.optim.OptimizerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Masked-LM training throughput in one JVM, in real (non-padding) tokens per second: {@code ComputationGraph.fit} on
 * prepared batches (tokenisation and masking excluded), as {@code bench/reference/mlm_reference.py} measures
 * HuggingFace's {@code BertForMaskedLM} on the same batches.
 *
 * <p>Batches are synthetic and seeded: {@code --batch} sequences of uniform random ids (the five special ids excluded),
 * lengths uniform in {@code --min-len..--max-len} ({@code 8..40}, about the length of a WordNet gloss in WordPiece
 * tokens) padded to the longest of the batch, or all {@code --max-len} ({@code --packed}, as packed documents); BERT's
 * dynamic masking (15% of each sequence, at least one token; 80% [MASK], 10% random, 10% unchanged). {@code --write F}
 * saves them as JSON lines for the Python reference; {@code --read F} trains on such a file.
 *
 * <pre>
 * java -cp model-core/target/test-classes:model-core/target/classes:$(cat cp.txt) \
 *   io.pretext.model.method.maskedlm.MlmThroughputBench [--encoder bert-tiny] [--vocab 8000] [--max-len 64] \
 *   [--batch 128] [--batches 20] [--threads 1,2] [--warmup 3] [--repeats 3] [--packed] [--write F | --read F]
 * </pre>
 * Prints one line per run and one JSON line per thread count ({@code {"bench":"mlm_throughput",...}}).
 */
public final class MlmThroughputBench {

  private MlmThroughputBench() {
  }

  public static void main(String[] args) throws IOException {
    String encoder = "bert-tiny";
    int vocab = 8000;
    int maxLen = 64;
    int minLen = 8;
    int sampleMax = 40;
    int batchSize = 128;
    int batches = 20;
    int[] threads = {1, 2};
    int warmup = 3;
    int repeats = 3;
    boolean packed = false;
    Path write = null;
    Path read = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--encoder" -> encoder = args[++i];
        case "--vocab" -> vocab = Integer.parseInt(args[++i]);
        case "--max-len" -> maxLen = Integer.parseInt(args[++i]);
        case "--min-len" -> minLen = Integer.parseInt(args[++i]);
        case "--sample-max" -> sampleMax = Integer.parseInt(args[++i]);
        case "--batch" -> batchSize = Integer.parseInt(args[++i]);
        case "--batches" -> batches = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--packed" -> packed = true;
        case "--write" -> write = Path.of(args[++i]);
        case "--read" -> read = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class Javadoc");
      }
    }
    List<TokenBatch> data = read != null ? readBatches(read)
        : synthetic(new Random(2026), batches, batchSize, vocab, packed ? maxLen : minLen, packed ? maxLen : sampleMax);
    if (write != null) {
      writeBatches(write, data);
      System.out.println("wrote " + data.size() + " batches to " + write);
      return;
    }
    long real = data.stream().mapToLong(TokenBatch::realTokens).sum();
    long padded = data.stream().mapToLong(b -> (long) b.size() * b.paddedLength()).sum();
    long targets = data.stream().mapToLong(b -> b.maskedPositions().length).sum();
    System.out.printf(Locale.ROOT, "MLM %s, vocab %d, %d batches of %d, real tokens %d (%.1f%% of padded), targets %d%n",
        encoder, vocab, data.size(), data.get(0).size(), real, 100.0 * real / padded, targets);
    MaskedLm mlm = new MaskedLm(MlmConfig.defaults());
    List<MultiDataSet> mds = data.stream().map(mlm::trainingBatch).toList();
    for (int t : threads) {
      NativeThreads.set(t);
      ComputationGraph graph = mlm.build(Encoders.byName(encoder), new TokenInput(vocab, maxLen),
          GraphSettings.of(42, OptimizerConfig.adamW(1e-3, 0.01, 10, 10_000)));
      for (int i = 0; i < warmup; i++) {
        graph.fit(mds.get(i % mds.size()));
      }
      double[] rates = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        for (MultiDataSet b : mds) {
          graph.fit(b);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        rates[r] = real / seconds;
        System.out.printf(Locale.ROOT, "  threads=%d run %d: %.0f real tokens/s (%.3f s/step), loss %.3f%n", t, r,
            rates[r], seconds / mds.size(), graph.score() - graph.calcRegularizationScore(true));
      }
      double[] sorted = rates.clone();
      Arrays.sort(sorted);
      System.out.printf(Locale.ROOT, "{\"bench\":\"mlm_throughput\",\"impl\":\"pretext\",\"encoder\":\"%s\",\"threads\":%d,"
          + "\"median_real_tokens_per_s\":%.0f,\"min\":%.0f,\"max\":%.0f,\"runs\":%s}%n", encoder, t, sorted[sorted.length / 2],
          sorted[0], sorted[sorted.length - 1], Arrays.toString(rates));
    }
  }

  /** Seeded synthetic batches: uniform ids, lengths uniform in {@code [minLen, maxLen]}, BERT's dynamic masking. */
  static List<TokenBatch> synthetic(Random rng, int count, int n, int vocab, int minLen, int maxLen) {
    List<TokenBatch> out = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      int[] lengths = new int[n];
      int t = 0;
      for (int i = 0; i < n; i++) {
        lengths[i] = minLen + rng.nextInt(maxLen - minLen + 1);
        t = Math.max(t, lengths[i]);
      }
      int[] tokens = new int[n * t];
      List<Integer> positions = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int[] order = new int[lengths[i]];
        for (int k = 0; k < lengths[i]; k++) {
          tokens[i * t + k] = TokenBatch.SPECIAL_TOKENS + rng.nextInt(vocab - TokenBatch.SPECIAL_TOKENS);
          order[k] = k;
        }
        for (int k = lengths[i] - 1; k > 0; k--) {
          int j = rng.nextInt(k + 1);
          int tmp = order[k];
          order[k] = order[j];
          order[j] = tmp;
        }
        int m = Math.max(1, Math.round(0.15f * lengths[i]));
        int[] chosen = Arrays.copyOf(order, m);
        Arrays.sort(chosen);
        for (int k : chosen) {
          int p = i * t + k;
          positions.add(p);
          labels.add(tokens[p]);
          double u = rng.nextDouble();
          if (u < 0.8) {
            tokens[p] = TokenBatch.MASK_ID;
          } else if (u < 0.9) {
            tokens[p] = TokenBatch.SPECIAL_TOKENS + rng.nextInt(vocab - TokenBatch.SPECIAL_TOKENS);
          }
        }
      }
      out.add(new TokenBatch(n, t, tokens, lengths, positions.stream().mapToInt(Integer::intValue).toArray(),
          labels.stream().mapToInt(Integer::intValue).toArray()));
    }
    return out;
  }

  static void writeBatches(Path file, List<TokenBatch> batches) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      for (TokenBatch b : batches) {
        var node = json.createObjectNode();
        node.put("n", b.size());
        node.put("t", b.paddedLength());
        node.set("tokens", json.valueToTree(b.tokens()));
        node.set("lengths", json.valueToTree(b.lengths()));
        node.set("positions", json.valueToTree(b.maskedPositions()));
        node.set("labels", json.valueToTree(b.maskedLabels()));
        w.println(json.writeValueAsString(node));
      }
    }
  }

  static List<TokenBatch> readBatches(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<TokenBatch> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode node = json.readTree(line);
        out.add(new TokenBatch(node.get("n").asInt(), node.get("t").asInt(), json.treeToValue(node.get("tokens"), int[].class),
            json.treeToValue(node.get("lengths"), int[].class), json.treeToValue(node.get("positions"), int[].class),
            json.treeToValue(node.get("labels"), int[].class)));
      }
    }
    return out;
  }
}
