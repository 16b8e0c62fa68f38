/**
 * The on-disk format of prepared datasets: Parquet shards, {@code manifest.json}, {@code _SUCCESS}.
 *
 * <p>A dataset directory holds {@code shards/shard-NNNNN.parquet} (rows sorted by record id),
 * {@code quarantine/} (JSON lines: source, reason, detail), {@code duplicates/} (JSON lines: the
 * dropped source and the id it duplicated), {@code manifest.json} and, written last,
 * {@code _SUCCESS}. Readers refuse a directory without {@code _SUCCESS}. The format is versioned by
 * {@link io.pretext.data.dataset.DatasetManifest#SCHEMA_VERSION}; the {@code kind} field
 * ({@code image} now, {@code text} planned) tells readers which record schema the shards use.
 */
package io.pretext.data.dataset;
