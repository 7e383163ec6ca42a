package dev.minitower.model.artifact;

/**
 * Bounds applied while reading an artifact. Reading stops as soon as one is passed, so a gzip bomb
 * is never inflated beyond them.
 *
 * @param maxEntries most tar entries (files, directories and links) accepted
 * @param maxUncompressedBytes most content bytes, summed over all entries (checked against each
 *     header before its content is read)
 * @param maxEntryNameLength longest entry name or link target, in UTF-8 bytes
 * @param maxTowerfileBytes largest accepted Towerfile
 */
public record ArchiveLimits(
    int maxEntries, long maxUncompressedBytes, int maxEntryNameLength, int maxTowerfileBytes) {

  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 512L * 1024 * 1024;
  public static final int DEFAULT_MAX_ENTRY_NAME_LENGTH = 1024;
  public static final int DEFAULT_MAX_TOWERFILE_BYTES = 262_144;

  public ArchiveLimits {
    if (maxEntries < 1
        || maxUncompressedBytes < 0
        || maxEntryNameLength < 1
        || maxTowerfileBytes < 0) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
  }

  public static ArchiveLimits defaults() {
    return new ArchiveLimits(
        DEFAULT_MAX_ENTRIES,
        DEFAULT_MAX_UNCOMPRESSED_BYTES,
        DEFAULT_MAX_ENTRY_NAME_LENGTH,
        DEFAULT_MAX_TOWERFILE_BYTES);
  }
}
