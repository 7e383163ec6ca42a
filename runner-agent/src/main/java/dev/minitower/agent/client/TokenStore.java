package dev.minitower.agent.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The runner token file {@code <data dir>/runner_token}, mode 0600, written atomically. */
public final class TokenStore {
  private final Path file;

  public TokenStore(Path dataDir) {
    this.file = dataDir.resolve("runner_token");
  }

  public Path file() {
    return file;
  }

  /** The saved token, trimmed, or null. */
  public String load() throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    return token.isEmpty() ? null : token;
  }

  public void save(String token) throws IOException {
    Path tmp = file.resolveSibling("runner_token.tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public void delete() throws IOException {
    Files.deleteIfExists(file);
  }
}
