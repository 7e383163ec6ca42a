package dev.minitower.store.artifacts;

import dev.minitower.model.hash.Sha256;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Content-addressed artifact storage in PostgreSQL ({@code artifacts} + {@code artifact_chunks}):
 * one row per distinct SHA-256, the bytes in {@value #CHUNK_SIZE}-byte chunks, so every replica of
 * every service reaches them without a shared disk, and neither writing nor reading ever holds more
 * than one chunk in memory.
 *
 * <p>Writes are idempotent and deduplicated: {@link #put} of bytes already stored only returns the
 * existing row. Two concurrent puts of the same content are safe: the second {@code INSERT … ON
 * CONFLICT DO NOTHING} waits for the first transaction and then does nothing (or, if the first
 * rolls back, stores the bytes itself).
 */
@ApplicationScoped
public class ArtifactStore {
  /** Bytes per chunk row. */
  public static final int CHUNK_SIZE = 1 << 20;

  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  /** A stored artifact; {@code created} is false when the content was already there. */
  public record StoredArtifact(String sha256, long size, int chunkCount, boolean created) {}

  /** Thrown by {@link #open} when no artifact has that digest. */
  public static class ArtifactNotFoundException extends RuntimeException {
    public ArtifactNotFoundException(String sha256) {
      super("artifact not found: " + sha256, null, false, false);
    }
  }

  private final AgroalDataSource dataSource;

  ArtifactStore(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public boolean exists(String sha256) {
    return find(sha256).isPresent();
  }

  public Optional<StoredArtifact> find(String sha256) {
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      return Optional.empty();
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT size_bytes, chunk_count FROM artifacts WHERE sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new StoredArtifact(sha256, rs.getLong(1), rs.getInt(2), false))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading artifact " + sha256, e);
    }
  }

  /**
   * Stores the file's bytes under {@code sha256} in the caller's transaction. The file is streamed
   * chunk by chunk and re-hashed on the way: a digest or size that does not match the claim fails
   * with {@link IllegalArgumentException} (and the caller's transaction rolls back).
   */
  @Transactional(TxType.MANDATORY)
  public StoredArtifact put(Path file, String sha256, long size) {
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex characters");
    }
    int chunkCount = (int) ((size + CHUNK_SIZE - 1) / CHUNK_SIZE);
    try (Connection c = dataSource.getConnection()) {
      int inserted;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO artifacts (sha256, size_bytes, chunk_count) VALUES (?, ?, ?)"
                  + " ON CONFLICT (sha256) DO NOTHING")) {
        ps.setString(1, sha256);
        ps.setLong(2, size);
        ps.setInt(3, chunkCount);
        inserted = ps.executeUpdate();
      }
      if (inserted == 0) {
        StoredArtifact existing = find(sha256).orElseThrow();
        if (existing.size() != size) {
          throw new IllegalArgumentException("stored artifact " + sha256 + " has another size");
        }
        return existing;
      }
      writeChunks(c, file, sha256, size);
      return new StoredArtifact(sha256, size, chunkCount, true);
    } catch (SQLException e) {
      throw new IllegalStateException("storing artifact " + sha256, e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  private static void writeChunks(Connection c, Path file, String sha256, long size)
      throws SQLException, IOException {
    MessageDigest digest = Sha256.newDigest();
    long total = 0;
    try (InputStream in = Files.newInputStream(file);
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO artifact_chunks (artifact_sha256, chunk_no, data) VALUES (?, ?, ?)")) {
      byte[] buffer = new byte[CHUNK_SIZE];
      int chunkNo = 0;
      while (true) {
        int n = in.readNBytes(buffer, 0, CHUNK_SIZE);
        if (n == 0) {
          break;
        }
        digest.update(buffer, 0, n);
        total += n;
        if (total > size) {
          break;
        }
        ps.setString(1, sha256);
        ps.setInt(2, chunkNo++);
        ps.setBytes(3, n == CHUNK_SIZE ? buffer : Arrays.copyOf(buffer, n));
        ps.executeUpdate();
        if (n < CHUNK_SIZE) {
          break;
        }
      }
    }
    if (total != size) {
      throw new IllegalArgumentException("file size does not match the declared size " + size);
    }
    if (!Sha256.hex(digest).equals(sha256)) {
      throw new IllegalArgumentException("file content does not match sha256 " + sha256);
    }
  }

  /**
   * The artifact's bytes as a stream that fetches one chunk at a time (each fetch a short query, so
   * no connection is held between reads).
   *
   * @throws ArtifactNotFoundException when nothing is stored under {@code sha256}
   */
  public InputStream open(String sha256) {
    StoredArtifact artifact = find(sha256).orElseThrow(() -> new ArtifactNotFoundException(sha256));
    return new ChunkInputStream(sha256, artifact.chunkCount());
  }

  private byte[] chunk(String sha256, int chunkNo) throws IOException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT data FROM artifact_chunks WHERE artifact_sha256 = ? AND chunk_no = ?")) {
      ps.setString(1, sha256);
      ps.setInt(2, chunkNo);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IOException("artifact " + sha256 + " is missing chunk " + chunkNo);
        }
        return rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw new IOException("reading chunk " + chunkNo + " of artifact " + sha256, e);
    }
  }

  /** Reads chunk after chunk of one artifact. */
  private final class ChunkInputStream extends InputStream {
    private final int chunkCount;
    private final String sha256;
    private int next;
    private byte[] current = new byte[0];
    private int pos;

    ChunkInputStream(String sha256, int chunkCount) {
      this.chunkCount = chunkCount;
      this.sha256 = sha256;
    }

    private boolean fill() throws IOException {
      while (pos >= current.length) {
        if (next >= chunkCount) {
          return false;
        }
        current = chunk(sha256, next++);
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
