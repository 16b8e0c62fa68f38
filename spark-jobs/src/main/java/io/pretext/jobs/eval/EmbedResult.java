package io.pretext.jobs.eval;

/**
 * What {@link Embed#run} wrote.
 *
 * @param output the Parquet directory
 * @param count rows written, one per record
 * @param dimension representation width D
 * @param seconds wall time
 */
public record EmbedResult(String output, long count, int dimension, double seconds) {}
