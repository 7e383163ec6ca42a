package dev.minitower.model.artifact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks an uploaded artifact (gzip-compressed tar) and returns its root Towerfile.
 *
 * <p>Unlike the original, which only looked at the first 50 entries and checked nothing else, the
 * whole archive is read (within {@link ArchiveLimits}) so that the Towerfile may sit anywhere and
 * every entry is checked against the safety rules of {@link TarGzReader}. Nothing is written
 * anywhere.
 */
public final class ArchiveInspector {

  /** Name of the project descriptor at the archive root ({@code ./Towerfile} also matches). */
  public static final String TOWERFILE = "Towerfile";

  private ArchiveInspector() {}

  /**
   * Reads and checks the whole archive.
   *
   * @throws ArchiveException when the artifact must be refused (see {@link ArchiveException} for
   *     the codes)
   * @throws IOException only when reading {@code tarGz} itself fails
   */
  public static ArchiveContents inspect(InputStream tarGz, ArchiveLimits limits)
      throws IOException {
    return TarStream.unwrapSource(
        () -> {
          try (TarGzReader reader = TarGzReader.open(tarGz, limits)) {
            String towerfile = null;
            TarGzReader.Entry entry;
            while ((entry = reader.next()) != null) {
              if (entry.name().equals(TOWERFILE)) {
                towerfile = readTowerfile(reader, entry, limits);
              }
            }
            reader.finish();
            if (towerfile == null) {
              throw ArchiveException.missing("artifact does not contain a Towerfile");
            }
            return new ArchiveContents(
                towerfile, reader.fileNames(), reader.entryCount(), reader.contentBytes());
          }
        });
  }

  static String readTowerfile(TarGzReader reader, TarGzReader.Entry entry, ArchiveLimits limits)
      throws IOException {
    if (entry.kind() != TarGzReader.Kind.FILE) {
      throw ArchiveException.invalid("the root Towerfile must be a regular file");
    }
    if (entry.size() > limits.maxTowerfileBytes()) {
      throw ArchiveException.missing(
          "Towerfile exceeds maximum size of " + limits.maxTowerfileBytes() + " bytes");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) entry.size());
    try {
      reader.content().transferTo(out);
    } catch (ArchiveException e) {
      throw ArchiveException.missing("reading Towerfile from archive: " + e.getMessage());
    }
    return decodeTowerfile(out.toByteArray());
  }

  static String decodeTowerfile(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ArchiveException(
          ArchiveException.TOWERFILE_INVALID,
          "invalid Towerfile: parsing towerfile: Towerfile is not valid UTF-8");
    }
  }
}
