package io.pretext.model.backend;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a test class with one native thread ({@link NativeThreads#set(int)}), restoring the previous count afterwards.
 * For tests of tiny networks (gradient checks): each ND4J op on a few dozen numbers is too small to split, and on a
 * busy machine every OpenMP parallel region waits for a second core; on this shared 2-core machine a tiny
 * Transformer's forward pass took 300 ms with two threads and 10 ms with one.
 */
public final class SingleNativeThread implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SingleNativeThread.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put("previous", Nd4j.getEnvironment().maxThreads());
    NativeThreads.set(1);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    NativeThreads.set(context.getStore(NS).get("previous", Integer.class));
  }
}
