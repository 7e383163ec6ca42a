package dev.minitower.model.artifact;

import java.io.IOException;

/**
 * The project cannot be packaged; the message is the CLI's wording, e.g. {@code resolving source:
 * symlink "x" points outside the project root} or {@code script "main.py" is not matched by any
 * source pattern}.
 */
public final class PackagingException extends IOException {

  public PackagingException(String message) {
    super(message);
  }

  public PackagingException(String message, Throwable cause) {
    super(message, cause);
  }
}
