package io.pretext.data.text.tokenizer;

import java.util.Arrays;

/** A growable {@code int} array, so token ids are collected without boxing. Not thread-safe. */
public final class IntList {
  private int[] values;
  private int size;

  public IntList() {
    this(16);
  }

  public IntList(int capacity) {
    values = new int[Math.max(capacity, 4)];
  }

  public void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[size++] = value;
  }

  public int get(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException(index + " >= size " + size);
    }
    return values[index];
  }

  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }

  /** Drops the values from {@code newSize} on. */
  public void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IndexOutOfBoundsException("truncate to " + newSize + " of size " + size);
    }
    size = newSize;
  }

  public int[] toArray() {
    return Arrays.copyOf(values, size);
  }

  @Override
  public String toString() {
    return Arrays.toString(toArray());
  }
}
