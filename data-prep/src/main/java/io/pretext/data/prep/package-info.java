/**
 * {@code prepare-images}: reads an unlabeled image corpus from any Hadoop URI (directory trees of
 * PNG/JPEG/BMP/GIF, IDX files, Parquet with a binary column), validates every record inside the
 * executors, quarantines what is broken with a reason, drops exact duplicates, and writes
 * deterministic Parquet shards with a manifest (see {@link io.pretext.data.dataset}).
 */
package io.pretext.data.prep;
