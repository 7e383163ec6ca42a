package dev.minitower.model.runner;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v1/runners/cancels} (addition): the cancel push. Answers at once with the runs
 * of the calling runner whose cancel was requested and that are not in {@code ignore} (the ones it
 * is already stopping); otherwise waits ({@code ?wait=20s}) until one is, then answers. An empty
 * list when the wait ends.
 */
public record CancelWatchRequest(@JsonProperty("ignore") List<Long> ignore) {
  public static final int MAX_IGNORE = 256;
}
