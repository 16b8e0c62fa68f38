/**
 * The on-disk format of prepared datasets: Parquet shards, {@code manifest.json}, {@code _SUCCESS}.
 *
 * <p>A dataset directory holds {@code shards/shard-NNNNN.parquet} (rows sorted by record id; text: by id and window),
 * {@code quarantine/} (JSON lines: source, reason, detail), {@code duplicates/} (JSON lines: the
 * dropped source and the id it duplicated), {@code manifest.json} and, written last,
 * {@code _SUCCESS}. Readers refuse a directory without {@code _SUCCESS}. The format is versioned by
 * {@link io.pretext.data.dataset.DatasetManifest#SCHEMA_VERSION}; the {@code kind} field
 * ({@code image} or {@code text}) tells readers which record schema the shards use
 * ({@link io.pretext.data.dataset.ImageRecords}, {@link io.pretext.data.dataset.TextRecords}). A text dataset also holds
 * {@code vocab.txt}, whose SHA-256 and tokenisation settings are in the manifest's {@code text} section.
 */
package io.pretext.data.dataset;
