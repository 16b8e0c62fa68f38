package io.pretext.jobs.eval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * A partition's rows mapped chunk by chunk, lazily: the encoders run one forward pass per chunk of records, and a
 * partition is never held in memory whole. Shared by {@link Features} (images) and {@link TextFeatures} (text windows).
 */
final class ChunkedRows implements Iterator<Row> {
  private final Iterator<Row> records;
  private final int size;
  private final Function<List<Row>, List<Row>> map;
  private final ArrayDeque<Row> ready = new ArrayDeque<>();

  /**
   * @param records the partition's input rows
   * @param size rows per chunk
   * @param map one output row per input row of a chunk, in order
   */
  ChunkedRows(Iterator<Row> records, int size, Function<List<Row>, List<Row>> map) {
    this.records = records;
    this.size = size;
    this.map = map;
  }

  @Override
  public boolean hasNext() {
    if (ready.isEmpty() && records.hasNext()) {
      List<Row> chunk = new ArrayList<>(size);
      while (records.hasNext() && chunk.size() < size) {
        chunk.add(records.next());
      }
      ready.addAll(map.apply(chunk));
    }
    return !ready.isEmpty();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }
}
