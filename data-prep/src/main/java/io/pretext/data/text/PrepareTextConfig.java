package io.pretext.data.text;

import static io.pretext.model.config.OptionCheck.require;

import io.pretext.data.text.tokenizer.WordPieceTrainer;
import java.io.Serializable;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Validated, immutable settings of {@code prepare-text}. Every check names the option, the value and what is allowed,
 * so the CLI reports it (exit code 2) before any Spark work starts.
 *
 * @param input any Hadoop URI: a file, a directory (read recursively) or a glob
 * @param output dataset directory to create
 * @param format {@link TextFormat}
 * @param glob file-name filter for directories, e.g. {@code *.txt} (default {@code *}: every file, so a stray binary
 *     file is quarantined, not ignored); matching files whose names (or folders) below {@code input} start with
 *     {@code .} or {@code _} are quarantined as {@code hidden} without being read
 * @param docSplit how plain text becomes documents (format text)
 * @param textField the JSON string field holding the document (format jsonl; default {@code text})
 * @param labelField optional JSON field with the label: a string (a class name) or an integer (format jsonl)
 * @param textColumn the string column holding the document (format parquet; default {@code text})
 * @param labelColumn optional label column, string or integer (format parquet)
 * @param normalize Unicode normalisation of every document
 * @param lowercase uncased tokenisation (lower-case and strip accents, as {@code bert-base-uncased}); recorded in the
 *     manifest with the vocabulary, so later tokenisation always matches it
 * @param maxDocBytes documents larger than this (raw UTF-8 bytes: the line, paragraph, file or JSON line) are quarantined
 * @param seqLen tokens per sequence, {@code [CLS]} and {@code [SEP]} included; longer documents are split into windows
 * @param pack pack short documents into shared sequences, separated by {@code [SEP]} (unlabeled data only)
 * @param vocab an existing {@code vocab.txt} to use, or null to train one ({@code vocabSize})
 * @param vocabSize size of the vocabulary to train (special tokens included), or 0 with {@code vocab}
 * @param minFrequency trainer: pairs rarer than this are not merged
 * @param limitAlphabet trainer: most distinct characters kept
 * @param shards output shards
 * @param seed salts the assignment of documents to shards
 * @param overwrite replace an existing output
 */
public record PrepareTextConfig(
    String input,
    String output,
    TextFormat format,
    String glob,
    DocSplit docSplit,
    String textField,
    String labelField,
    String textColumn,
    String labelColumn,
    UnicodeForm normalize,
    boolean lowercase,
    long maxDocBytes,
    int seqLen,
    boolean pack,
    String vocab,
    int vocabSize,
    long minFrequency,
    int limitAlphabet,
    int shards,
    long seed,
    boolean overwrite) implements Serializable {

  public static final long DEFAULT_MAX_DOC_BYTES = 8L << 20;
  public static final int DEFAULT_SEQ_LEN = 128;
  public static final long MAX_DOC_BYTES_LIMIT = 1L << 30;
  /** Room for {@code [CLS]}, one piece and {@code [SEP]}. */
  public static final int MIN_SEQ_LEN = 3;
  public static final int MAX_SEQ_LEN = 65_536;

  public PrepareTextConfig {
    require(input != null && !input.isBlank(), "--input", input, "a Hadoop URI (file://, hdfs://, s3a://) or a local path");
    require(output != null && !output.isBlank(), "--output", output, "a Hadoop URI or a local path");
    require(!Objects.equals(trimSlashes(input), trimSlashes(output)), "--output", output, "a path different from --input");
    format = format == null ? TextFormat.AUTO : format;
    glob = glob == null || glob.isBlank() ? "*" : glob;
    docSplit = docSplit == null ? DocSplit.LINE : docSplit;
    textField = textField == null || textField.isBlank() ? "text" : textField;
    textColumn = textColumn == null || textColumn.isBlank() ? "text" : textColumn;
    labelField = labelField == null || labelField.isBlank() ? null : labelField;
    labelColumn = labelColumn == null || labelColumn.isBlank() ? null : labelColumn;
    normalize = normalize == null ? UnicodeForm.NFC : normalize;
    require(labelField == null || format == TextFormat.AUTO || format == TextFormat.JSONL, "--label-field", labelField,
        "only with --format jsonl (use --label-column for Parquet; plain text has no labels)");
    require(labelColumn == null || format == TextFormat.AUTO || format == TextFormat.PARQUET, "--label-column", labelColumn,
        "only with --format parquet (use --label-field for JSON Lines; plain text has no labels)");
    require(!(labelField != null && labelColumn != null), "--label-column", labelColumn, "either --label-field (JSON Lines) or --label-column (Parquet), not both");
    require(maxDocBytes >= 1 && maxDocBytes <= MAX_DOC_BYTES_LIMIT, "--max-doc-bytes", maxDocBytes, "an integer 1.." + MAX_DOC_BYTES_LIMIT);
    require(seqLen >= MIN_SEQ_LEN && seqLen <= MAX_SEQ_LEN, "--seq-len", seqLen,
        "an integer " + MIN_SEQ_LEN + ".." + MAX_SEQ_LEN + " ([CLS] and [SEP] included; BERT uses 128 then 512)");
    require(!(pack && (labelField != null || labelColumn != null)), "--pack", true,
        "no packing for a labeled dataset: evaluation needs one document per record (drop --pack, or the label option)");
    require(vocab == null || vocab.isBlank() || vocabSize == 0, "--vocab-size", vocabSize,
        "0 when --vocab names an existing vocabulary: give one of --vocab FILE and --vocab-size N");
    vocab = vocab == null || vocab.isBlank() ? null : vocab;
    require(vocab != null || vocabSize != 0, "--vocab-size", vocabSize,
        "a size to train (e.g. 8000), or --vocab FILE to use an existing vocab.txt");
    if (vocab == null) {
      new WordPieceTrainer.Settings(vocabSize, minFrequency, limitAlphabet);
    }
    require(shards >= 1 && shards <= 100_000, "--shards", shards, "an integer 1..100000");
  }

  /** Whether the records carry labels. */
  public boolean labeled() {
    return labelField != null || labelColumn != null;
  }

  /** The trainer settings, or null when an existing vocabulary is used. */
  public WordPieceTrainer.Settings trainer() {
    return vocab == null ? new WordPieceTrainer.Settings(vocabSize, minFrequency, limitAlphabet) : null;
  }

  /** The settings as recorded in the manifest (sorted keys; input and output are the source and the location). */
  public SortedMap<String, Object> asManifestMap(TextFormat resolved) {
    SortedMap<String, Object> m = new TreeMap<>();
    m.put("format", resolved.optionValue());
    m.put("glob", glob);
    m.put("docSplit", resolved == TextFormat.TEXT ? docSplit.optionValue() : null);
    m.put("textField", resolved == TextFormat.JSONL ? textField : null);
    m.put("labelField", labelField);
    m.put("textColumn", resolved == TextFormat.PARQUET ? textColumn : null);
    m.put("labelColumn", labelColumn);
    m.put("normalize", normalize.optionValue());
    m.put("lowercase", lowercase);
    m.put("maxDocBytes", maxDocBytes);
    m.put("seqLen", seqLen);
    m.put("pack", pack);
    m.put("vocab", vocab);
    m.put("vocabSize", vocabSize);
    m.put("minFrequency", vocab == null ? minFrequency : null);
    m.put("limitAlphabet", vocab == null ? limitAlphabet : null);
    m.put("shards", shards);
    return m;
  }

  private static String trimSlashes(String uri) {
    return uri == null ? null : uri.replaceAll("/+$", "");
  }
}
