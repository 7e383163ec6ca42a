package dev.minitower.model.artifact;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an accepted artifact holds.
 *
 * @param towerfileText the root Towerfile's text (UTF-8); {@code null} only from {@link
 *     SafeExtractor} when the archive has none or it is over the size limit
 * @param fileNames the cleaned names (no {@code ./}) of every non-directory entry, sorted
 * @param entryCount number of tar entries, directories included
 * @param uncompressedBytes sum of the entries' content sizes
 */
public record ArchiveContents(
    String towerfileText, Set<String> fileNames, int entryCount, long uncompressedBytes) {

  public ArchiveContents {
    fileNames = Collections.unmodifiableSortedSet(new TreeSet<>(fileNames));
  }
}
