package io.pretext.model.method;

/**
 * A capability of a method whose graph ends in a classifier over labelled classes (fine-tuning): {@code pretext predict}
 * and the fine-tuning monitor read the class scores at {@link #logitsVertex()}.
 */
public interface Classifier {

  /** The labels' classes, the width of {@link #logitsVertex()}. */
  int classes();

  /** The vertex whose activations {@code [N, classes()]} are the class scores before the softmax. */
  String logitsVertex();
}
