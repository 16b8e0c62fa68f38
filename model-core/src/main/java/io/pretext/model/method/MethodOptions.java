package io.pretext.model.method;

/**
 * The command-line options of one method, declared next to the method as a picocli mixin: subclasses hold
 * {@code @Option} fields with their defaults and documentation, and {@link #toMethod()} validates them into the
 * method's immutable configuration. The CLI mixes in the options of the method named by {@code --method}, and the
 * options' resolved values are what {@code run.json} records and {@code --resume} compares, so a method adds options
 * without touching the CLI, the run format or the resume check.
 */
public abstract class MethodOptions {

  /**
   * The method these options describe.
   *
   * @throws IllegalArgumentException naming the option, the value and what is allowed, if a value is invalid
   */
  public abstract SslMethod toMethod();
}
