package io.pretext.data.text.tokenizer;

import static io.pretext.model.config.OptionCheck.require;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trains a WordPiece vocabulary from word counts with the algorithm of HuggingFace's {@code WordPieceTrainer}
 * ({@code tokenizers/src/models/wordpiece/trainer.rs}, which runs {@code bpe/trainer.rs} with the continuing-subword
 * prefix {@code ##}): BPE merges (Sennrich et al. 2016) over the counted words, the merged pieces becoming the
 * vocabulary. The word counts are made distributed (Spark) from {@link BasicTokenizer}'s words; this is the part that
 * runs on the driver.
 *
 * <ol>
 *   <li>the special tokens {@link Vocabulary#SPECIALS} (ids 0-4);
 *   <li>the alphabet: every character of the words, weighted by word count; when there are more than
 *       {@code limitAlphabet}, the rarest are dropped (and skipped inside words); kept ones in code-point order;
 *   <li>{@code ##c} for every alphabet character that occurs inside a word (not first): by code point here;
 *       HuggingFace numbers them in the iteration order of a hash map seeded per process;
 *   <li>merges: the most frequent adjacent pair (weighted by word count) is merged into a new token ({@code "a" + "##b"}
 *       gives {@code "ab"}, {@code "##a" + "##b"} gives {@code "##ab"}), ties going to the pair of smaller ids, until
 *       the vocabulary has {@code vocabSize} tokens, no pair is left, or the best pair is rarer than
 *       {@code minFrequency}.
 * </ol>
 * The merge loop is HuggingFace's, including its bookkeeping (a priority queue with lazily refreshed counts; each queue
 * entry carries the words where its pair appeared when it was queued), so with the same {@code ##c} numbering the result
 * is HuggingFace's token for token (tested). Because HuggingFace's numbering changes from run to run, its own output
 * differs between runs wherever ties decide; Pretext's is deterministic.
 */
public final class WordPieceTrainer {
  public static final long DEFAULT_MIN_FREQUENCY = 2;
  public static final int DEFAULT_LIMIT_ALPHABET = 1000;

  /**
   * Validated trainer settings; the defaults are {@code BertWordPieceTokenizer.train}'s.
   *
   * @param vocabSize target size, special tokens included ({@code --vocab-size})
   * @param minFrequency a pair rarer than this is never merged ({@code --min-frequency}, default 2)
   * @param limitAlphabet most distinct characters kept ({@code --limit-alphabet}, default 1000)
   */
  public record Settings(int vocabSize, long minFrequency, int limitAlphabet) implements Serializable {
    public Settings {
      require(vocabSize >= Vocabulary.MIN_SIZE && vocabSize <= Vocabulary.MAX_SIZE, "--vocab-size", vocabSize,
          "an integer " + Vocabulary.MIN_SIZE + ".." + Vocabulary.MAX_SIZE + " (special tokens included)");
      require(minFrequency >= 0, "--min-frequency", minFrequency, "an integer >= 0");
      require(limitAlphabet >= 1, "--limit-alphabet", limitAlphabet, "an integer >= 1");
    }
  }

  private WordPieceTrainer() {}

  /**
   * Trains on {@code wordCounts} (words as {@link BasicTokenizer} gives them, with their corpus counts).
   *
   * @throws IllegalArgumentException if there are no words
   */
  public static Vocabulary train(Map<String, Long> wordCounts, Settings settings) {
    return Vocabulary.of(train(wordCounts, settings, null));
  }

  /** As {@link #train(Map, Settings)}, numbering the {@code ##c} tokens in {@code continuationOrder} first (tests). */
  static List<String> train(Map<String, Long> wordCounts, Settings settings, List<String> continuationOrder) {
    if (wordCounts.isEmpty()) {
      throw new IllegalArgumentException("no words to train a vocabulary on: every document was empty or quarantined");
    }
    List<String> idToWord = new ArrayList<>(settings.vocabSize());
    Map<String, Integer> wordToId = new HashMap<>(settings.vocabSize() * 2);
    for (String s : Vocabulary.SPECIALS) {
      add(s, idToWord, wordToId);
    }
    TreeMap<String, Long> words = new TreeMap<>(wordCounts);
    TreeSet<Integer> alphabet = alphabet(words, settings.limitAlphabet());
    for (int cp : alphabet) {
      add(new String(Character.toChars(cp)), idToWord, wordToId);
    }
    if (continuationOrder != null) {
      continuationOrder.forEach(t -> add(t, idToWord, wordToId));
    } else {
      TreeSet<Integer> inner = new TreeSet<>();
      for (String w : words.keySet()) {
        w.codePoints().skip(1).filter(alphabet::contains).forEach(inner::add);
      }
      for (int cp : inner) {
        add(Vocabulary.CONTINUATION_PREFIX + new String(Character.toChars(cp)), idToWord, wordToId);
      }
    }

    int n = words.size();
    int[][] symbols = new int[n][];
    int[] lengths = new int[n];
    long[] counts = new long[n];
    int w = 0;
    for (Map.Entry<String, Long> e : words.entrySet()) {
      IntList s = new IntList(e.getKey().length());
      int k = 0;
      for (int i = 0; i < e.getKey().length(); k++) {
        int cp = e.getKey().codePointAt(i);
        i += Character.charCount(cp);
        if (alphabet.contains(cp)) {
          String piece = (k > 0 ? Vocabulary.CONTINUATION_PREFIX : "") + new String(Character.toChars(cp));
          s.add(add(piece, idToWord, wordToId));
        }
      }
      symbols[w] = s.toArray();
      lengths[w] = symbols[w].length;
      counts[w] = e.getValue();
      w++;
    }

    Map<Long, long[]> pairCounts = new HashMap<>();
    Map<Long, IntList> where = new HashMap<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j + 1 < lengths[i]; j++) {
        long pair = pair(symbols[i][j], symbols[i][j + 1]);
        pairCounts.computeIfAbsent(pair, p -> new long[1])[0] += counts[i];
        addDistinct(where, pair, i);
      }
    }
    PriorityQueue<Merge> queue = new PriorityQueue<>(Merge.ORDER);
    long[] sequence = {0};
    drain(where, pairCounts, queue, sequence);

    while (idToWord.size() < settings.vocabSize()) {
      Merge top = queue.poll();
      if (top == null) {
        break;
      }
      long actual = pairCounts.get(top.pair)[0];
      if (top.count != actual) {
        queue.add(new Merge(top.pair, actual, top.pos, sequence[0]++));
        continue;
      }
      if (top.count < 1 || settings.minFrequency() > top.count) {
        break;
      }
      int a = (int) (top.pair >>> 32);
      int b = (int) top.pair;
      String right = idToWord.get(b);
      if (right.startsWith(Vocabulary.CONTINUATION_PREFIX)) {
        right = right.substring(Vocabulary.CONTINUATION_PREFIX.length());
      }
      int merged = add(idToWord.get(a) + right, idToWord, wordToId);
      for (int word : top.pos) {
        long count = counts[word];
        lengths[word] = merge(symbols[word], lengths[word], a, b, merged, (pair, change) -> {
          pairCounts.computeIfAbsent(pair, p -> new long[1])[0] += change * count;
          if (change > 0) {
            addDistinct(where, pair, word);
          }
        });
      }
      drain(where, pairCounts, queue, sequence);
    }
    return idToWord;
  }

  /** Characters of the words by weighted count; the rarest dropped beyond {@code limit} (ties: larger code point first). */
  private static TreeSet<Integer> alphabet(Map<String, Long> words, int limit) {
    Map<Integer, Long> counts = new HashMap<>();
    words.forEach((word, count) -> word.codePoints().forEach(cp -> counts.merge(cp, count, Long::sum)));
    List<Map.Entry<Integer, Long>> kept = new ArrayList<>(counts.entrySet());
    if (kept.size() > limit) {
      kept.sort(Comparator.<Map.Entry<Integer, Long>>comparingLong(Map.Entry::getValue)
          .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
      kept = kept.subList(kept.size() - limit, kept.size());
    }
    TreeSet<Integer> alphabet = new TreeSet<>();
    kept.forEach(e -> alphabet.add(e.getKey()));
    return alphabet;
  }

  private static int add(String token, List<String> idToWord, Map<String, Integer> wordToId) {
    Integer id = wordToId.get(token);
    if (id != null) {
      return id;
    }
    idToWord.add(token);
    wordToId.put(token, idToWord.size() - 1);
    return idToWord.size() - 1;
  }

  private static long pair(int a, int b) {
    return ((long) a << 32) | b;
  }

  private static void addDistinct(Map<Long, IntList> where, long pair, int word) {
    IntList pos = where.computeIfAbsent(pair, p -> new IntList(4));
    if (pos.size() == 0 || pos.get(pos.size() - 1) != word) {
      pos.add(word);
    }
  }

  /** Queues every pair that gained occurrences, with its current total count and the words where it gained them. */
  private static void drain(Map<Long, IntList> where, Map<Long, long[]> pairCounts, PriorityQueue<Merge> queue, long[] sequence) {
    where.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      long count = pairCounts.get(e.getKey())[0];
      if (count > 0) {
        queue.add(new Merge(e.getKey(), count, e.getValue().toArray(), sequence[0]++));
      }
    });
    where.clear();
  }

  interface ChangeSink {
    void change(long pair, int delta);
  }

  /**
   * Replaces every {@code (c1, c2)} in {@code word[0..length)} by {@code replacement}, left to right, reporting the pair
   * changes around each replacement as HuggingFace's {@code Word::merge} does (the merged pair itself is not
   * decremented); returns the new length.
   */
  static int merge(int[] word, int length, int c1, int c2, int replacement, ChangeSink sink) {
    int i = 0;
    while (i < length) {
      if (word[i] == c1 && i + 1 < length && word[i + 1] == c2) {
        if (i > 0) {
          sink.change(pair(word[i - 1], c1), -1);
          sink.change(pair(word[i - 1], replacement), 1);
        }
        word[i] = replacement;
        System.arraycopy(word, i + 2, word, i + 1, length - i - 2);
        length--;
        if (i < length - 1) {
          sink.change(pair(c2, word[i + 1]), -1);
          sink.change(pair(replacement, word[i + 1]), 1);
        }
      }
      i++;
    }
    return length;
  }

  /** A queued pair: most frequent first, then the smaller pair of ids, then first queued. */
  private record Merge(long pair, long count, int[] pos, long sequence) {
    static final Comparator<Merge> ORDER = Comparator.comparingLong(Merge::count).reversed()
        .thenComparingLong(Merge::pair).thenComparingLong(Merge::sequence);
  }
}
