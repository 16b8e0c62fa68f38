package io.pretext.jobs.cli;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.data.text.DocSplit;
import io.pretext.data.text.PrepareTextConfig;
import io.pretext.data.text.PrepareTextJob;
import io.pretext.data.text.PrepareTextResult;
import io.pretext.data.text.TextFormat;
import io.pretext.data.text.UnicodeForm;
import io.pretext.data.text.tokenizer.WordPieceTrainer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pretext prepare-text}: validate, deduplicate, tokenise and shard a text corpus for masked-LM pretraining. */
@Command(name = "prepare-text", mixinStandardHelpOptions = true,
    description = {"Validates, deduplicates, tokenises (WordPiece, exactly as HuggingFace's BERT tokenizer) and shards a text corpus: plain text, "
        + "JSON Lines or Parquet, gzip and bzip2 by extension, from any Hadoop URI.",
        "Bad documents are quarantined with a reason. Writes Parquet shards of token sequences, vocab.txt, manifest.json and _SUCCESS."})
public final class PrepareTextCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--input", required = true, paramLabel = "URI", description = "Corpus: file, directory (recursive) or glob (file://, hdfs://, s3a://, or a local path).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "URI", description = "Dataset directory to create.")
  String output;

  @Option(names = "--format", defaultValue = "auto", description = "auto, text, jsonl or parquet (default: ${DEFAULT-VALUE}; auto: *.jsonl/*.json/*.ndjson are JSON Lines, *.parquet Parquet, else text).")
  String format;

  @Option(names = "--glob", defaultValue = "*", description = "File-name filter inside directories, e.g. '*.txt' (default: ${DEFAULT-VALUE}: every file, so stray binary files are quarantined; names starting with . or _, such as _SUCCESS, are quarantined as hidden, unread).")
  String glob;

  @Option(names = "--doc-split", defaultValue = "line", description = "Plain text: one document per line, paragraph (blank-line separated) or file (default: ${DEFAULT-VALUE}).")
  String docSplit;

  @Option(names = "--text-field", defaultValue = "text", description = "JSON Lines: the string field holding the document (default: ${DEFAULT-VALUE}).")
  String textField;

  @Option(names = "--label-field", description = "JSON Lines: the label field, a class name or an integer (labeled corpora for evaluation).")
  String labelField;

  @Option(names = "--text-column", defaultValue = "text", description = "Parquet: the string column holding the document (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Option(names = "--label-column", description = "Parquet: the label column, string or integer.")
  String labelColumn;

  @Option(names = "--normalize", defaultValue = "nfc", description = "Unicode normalisation of every document: nfc or nfkc (default: ${DEFAULT-VALUE}).")
  String normalize;

  @Option(names = "--lowercase", description = "Uncased tokenisation (lower-case and strip accents, as bert-base-uncased); recorded with the vocabulary.")
  boolean lowercase;

  @Option(names = "--max-doc-bytes", defaultValue = "" + PrepareTextConfig.DEFAULT_MAX_DOC_BYTES,
      description = "Largest document in raw bytes; larger ones are quarantined (default: ${DEFAULT-VALUE}).")
  long maxDocBytes;

  @Option(names = "--seq-len", defaultValue = "" + PrepareTextConfig.DEFAULT_SEQ_LEN,
      description = "Tokens per record, [CLS] and [SEP] included; longer documents become windows (default: ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(names = "--pack", description = "Pack short documents into shared records separated by [SEP] (RoBERTa FULL-SENTENCES; unlabeled corpora only).")
  boolean pack;

  @Option(names = "--vocab", paramLabel = "URI", description = "Use this BERT vocab.txt ([PAD] [UNK] [CLS] [SEP] [MASK] first) instead of training one.")
  String vocab;

  @Option(names = "--vocab-size", defaultValue = "0", description = "Train a WordPiece vocabulary of this many tokens on the corpus (special tokens included).")
  int vocabSize;

  @Option(names = "--min-frequency", defaultValue = "" + WordPieceTrainer.DEFAULT_MIN_FREQUENCY,
      description = "Vocabulary training: pairs rarer than this are not merged (default: ${DEFAULT-VALUE}).")
  long minFrequency;

  @Option(names = "--limit-alphabet", defaultValue = "" + WordPieceTrainer.DEFAULT_LIMIT_ALPHABET,
      description = "Vocabulary training: most distinct characters kept (default: ${DEFAULT-VALUE}).")
  int limitAlphabet;

  @Option(names = "--shards", defaultValue = "16", description = "Number of output shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the shard assignment (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Override
  public Integer call() {
    PrepareTextConfig config = Commands.validated(spec, () -> new PrepareTextConfig(input, output, TextFormat.parse(format), glob,
        DocSplit.parse(docSplit), textField, labelField, textColumn, labelColumn, UnicodeForm.parse(normalize), lowercase, maxDocBytes,
        seqLen, pack, vocab, vocabSize, minFrequency, limitAlphabet, shards, seed, overwrite));
    SparkSession spark = sparkOptions.session("pretext prepare-text");
    PrepareTextResult result = PrepareTextJob.run(spark, config);
    DatasetManifest m = result.manifest();
    DatasetManifest.TextSection t = m.text();
    spec.commandLine().getErr().printf("prepare-text: %d seen, %d accepted, %d duplicates, %d quarantined %s; %d records, %d tokens"
        + " (%.2f%% [UNK]), vocabulary %d -> %s (%.1f s)%n",
        m.counts().seen(), m.counts().accepted(), m.counts().duplicates(), m.counts().quarantined(), m.counts().quarantinedByReason(),
        t.sequences(), t.tokens(), 100 * t.unknownRate(), t.vocabSize(), result.output(), result.elapsedMillis() / 1000.0);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("output", result.output());
    fields.put("counts", m.counts());
    fields.put("text", t);
    fields.put("labels", m.labelNames() == null ? null : m.labelNames().size());
    fields.put("shards", m.shards().size());
    fields.put("vocabularySeconds", result.vocabularyMillis() / 1000.0);
    fields.put("elapsedSeconds", result.elapsedMillis() / 1000.0);
    JsonLine.ok(spec.commandLine().getOut(), "prepare-text", fields);
    return 0;
  }
}
