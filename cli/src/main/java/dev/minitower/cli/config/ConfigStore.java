package dev.minitower.cli.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minitower.cli.CliException;
import dev.minitower.cli.ExitCodes;
import dev.minitower.cli.Terminal;
import dev.minitower.cli.output.JsonOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Finds, reads and writes the config file. The file holds API tokens, so it is written 0600 inside
 * a 0700 directory, through a temporary file and an atomic rename (a crash never leaves half a
 * file, and the token is never readable by others even for a moment).
 */
public final class ConfigStore {
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  private final Path path;

  public ConfigStore(Path path) {
    this.path = path;
  }

  /**
   * {@code $MINITOWER_CLI_CONFIG} > {@code $XDG_CONFIG_HOME/minitower-cli/config.json} > {@code
   * ~/.config/minitower-cli/config.json}.
   */
  public static Path resolvePath(Terminal t) {
    String explicit = t.env("MINITOWER_CLI_CONFIG");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String xdg = t.env("XDG_CONFIG_HOME");
    if (xdg != null) {
      return Path.of(xdg, "minitower-cli", "config.json");
    }
    String home = t.env("HOME");
    if (home == null) {
      home = System.getProperty("user.home");
    }
    return Path.of(home, ".config", "minitower-cli", "config.json");
  }

  public static ConfigStore forTerminal(Terminal t) {
    return new ConfigStore(resolvePath(t));
  }

  public Path path() {
    return path;
  }

  /** The stored config; a missing file is an empty config. */
  public CliConfig load() {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new CliConfig();
    } catch (IOException e) {
      throw configError("reading config " + path + ": " + e.getMessage(), e);
    }
    if (text.isBlank()) {
      return new CliConfig();
    }
    try {
      CliConfig c = JsonOutput.MAPPER.readValue(text, CliConfig.class);
      return c == null ? new CliConfig() : c;
    } catch (IOException e) {
      throw configError("parsing config " + path + ": " + e.getMessage(), e);
    }
  }

  public void save(CliConfig config) {
    ObjectMapper m = JsonOutput.MAPPER;
    String text = JsonOutput.pretty(m.valueToTree(config));
    Path dir = path.toAbsolutePath().getParent();
    try {
      createPrivateDirs(dir);
      Path tmp = createPrivateTemp(dir);
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(
              tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw configError("writing config " + path + ": " + e.getMessage(), e);
    }
  }

  private static void createPrivateDirs(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    createPrivateDirs(dir.getParent());
    try {
      if (posix(dir)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        // The umask may have removed bits; the mode is the contract, so set it explicitly.
        Files.setPosixFilePermissions(dir, DIR_MODE);
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      // created concurrently: fine
    }
  }

  private static Path createPrivateTemp(Path dir) throws IOException {
    if (posix(dir)) {
      Path tmp =
          Files.createTempFile(
              dir, ".config-", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE));
      Files.setPosixFilePermissions(tmp, FILE_MODE);
      return tmp;
    }
    return Files.createTempFile(dir, ".config-", ".tmp");
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static CliException configError(String msg, Throwable cause) {
    return new CliException(msg, "config", ExitCodes.ERROR, cause);
  }
}
