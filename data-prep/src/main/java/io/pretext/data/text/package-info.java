/**
 * {@code prepare-text}: reads a text corpus from any Hadoop URI (plain text split by line, paragraph or file; JSON Lines
 * with a text field; Parquet with a string column; gzip and bzip2 by extension), validates every document inside the
 * executors on its raw bytes, quarantines what is broken with a reason, drops exact duplicates, trains (or reads) a
 * WordPiece vocabulary, tokenises as HuggingFace's BERT tokenizer does, and writes deterministic Parquet shards of token
 * sequences ({@link io.pretext.data.dataset.TextRecords}) with {@code vocab.txt} and a manifest through the shared
 * {@link io.pretext.data.dataset.DatasetWriter}.
 *
 * <ul>
 *   <li>{@link io.pretext.data.text.PrepareTextConfig} (validated options), {@link io.pretext.data.text.PrepareTextJob}
 *       (the job);
 *   <li>{@link io.pretext.data.text.TextCorpusReader} (listing, Parquet), {@code TextFileReader} and {@code ByteLines}
 *       (streaming raw-byte reading of one file), {@link io.pretext.data.text.DocumentValidator} (reason codes:
 *       {@link io.pretext.data.text.Reason}), {@link io.pretext.data.text.TextNormalizer};
 *   <li>{@link io.pretext.data.text.TextSequences}: windows of long documents and packing of short ones.
 * </ul>
 *
 * <p><b>Invalid UTF-8.</b> Spark's text source decodes with replacement, so bad bytes silently become U+FFFD. Pretext
 * never lets Spark decode: text and JSON Lines files are read as bytes in the executors (Hadoop's file system and
 * compression codecs), split at line feeds on the bytes, and each document is decoded with a strict UTF-8 decoder that
 * reports the offset of the first bad byte; Parquet text columns are read as {@code cast(binary)} for the same reason.
 *
 * <p><b>One representation per document</b> (for {@code embed} and {@code evaluate} on labeled text). A labeled dataset
 * is never packed: every record holds one document, or one window of a long one, and carries the document's id,
 * {@code window} and {@code windows}. A document's representation should be the mean of its windows' representations
 * (group by id); windows are rare at 128 tokens (6 of 93,692 WordNet glosses) and the mean uses all of the text, where
 * taking window 0 alone would silently ignore the rest of a long document.
 */
package io.pretext.data.text;
