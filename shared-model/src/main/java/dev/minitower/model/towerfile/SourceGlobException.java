package dev.minitower.model.towerfile;

import java.io.IOException;

/**
 * Source resolution failed: a pattern escapes the project root or is malformed, or a selected
 * symlink points outside the project. The message is the CLI's wording
 * (docs/spec/towerfile-and-runner.md §2.1).
 */
public final class SourceGlobException extends IOException {

  public SourceGlobException(String message) {
    super(message);
  }
}
