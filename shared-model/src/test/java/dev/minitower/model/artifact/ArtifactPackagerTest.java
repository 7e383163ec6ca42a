package dev.minitower.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.model.hash.Sha256;
import dev.minitower.model.towerfile.Towerfile;
import dev.minitower.model.towerfile.TowerfileException;
import dev.minitower.model.towerfile.TowerfileParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactPackagerTest {

  @TempDir Path dir;

  private Towerfile towerfile(String extra) throws IOException {
    String text = "[app]\nname = \"my-app\"\nscript = \"main.py\"\n" + extra;
    Files.writeString(dir.resolve("Towerfile"), text);
    return TowerfileParser.parse(text);
  }

  private void files(String... names) throws IOException {
    for (String name : names) {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "# " + name + "\n");
    }
  }

  private byte[] pack(Towerfile tf) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArtifactPackager.pack(dir, tf, out);
    return out.toByteArray();
  }

  /** Entry name → entry, in archive order. */
  private static Map<String, TarArchiveEntry> entries(byte[] gz) throws IOException {
    Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(gz)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        out.put(entry.getName(), entry);
      }
    }
    return out;
  }

  private static String content(byte[] gz, String name) throws IOException {
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(gz)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals(name)) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError("no entry " + name);
  }

  private static String sha256(byte[] data) throws NoSuchAlgorithmException {
    return Sha256.hex(data);
  }

  // P-1, P-2
  @Test
  void packagesExactlyTheSelectedFilesWithTheTowerfileFirst() throws Exception {
    files("main.py", "lib/util.py", "requirements.txt", "README.md");
    Towerfile tf = towerfile("source = [\"./**/*.py\", \"./requirements.txt\", \"./Towerfile\"]\n");

    byte[] gz = pack(tf);

    assertThat(entries(gz).keySet())
        .containsExactly("Towerfile", "lib/util.py", "main.py", "requirements.txt");
    assertThat(sha256(gz)).hasSize(64).isNotEqualTo(sha256(new byte[0]));
  }

  // P-3
  @Test
  void towerfileIsIncludedEvenWhenNoPatternSelectsIt() throws IOException {
    files("main.py");

    assertThat(entries(pack(towerfile("source = [\"./*.py\"]\n"))).keySet())
        .containsExactly("Towerfile", "main.py");
  }

  // P-4
  @Test
  void towerfileSelectedByAPatternAppearsOnce() throws IOException {
    files("main.py");

    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GzipCompressorInputStream(
                new ByteArrayInputStream(
                    pack(towerfile("source = [\"./*.py\", \"./Towerfile\"]\n")))))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        names.add(entry.getName());
      }
    }
    assertThat(names).containsExactly("Towerfile", "main.py");
  }

  // P-5
  @Test
  void scriptNotSelectedBySourceIsAnError() throws IOException {
    files("main.py", "notes.txt");
    Towerfile tf = towerfile("source = [\"./*.txt\"]\n");

    assertThatThrownBy(() -> pack(tf))
        .isInstanceOf(PackagingException.class)
        .hasMessage("script \"main.py\" is not matched by any source pattern");
  }

  @Test
  void dotSlashScriptMatchesTheResolvedFile() throws IOException {
    files("main.py");
    String text = "[app]\nname = \"my-app\"\nscript = \"./main.py\"\n";

    assertThat(entries(pack(TowerfileParser.parse(text))).keySet()).contains("main.py");
  }

  // P-6
  @Test
  void towerfileWithoutNameCannotBeLoadedForPackaging() {
    assertThatThrownBy(() -> TowerfileParser.parse("[app]\nscript = \"main.py\"\n"))
        .isInstanceOf(TowerfileException.class)
        .hasMessage("invalid Towerfile: app.name is required");
  }

  // P-7
  @Test
  void defaultSourcePackagesEveryVisibleFile() throws IOException {
    files("main.py", "lib/helper.py", ".env");

    assertThat(entries(pack(towerfile(""))).keySet())
        .containsExactly("Towerfile", "lib/helper.py", "main.py");
  }

  // P-8
  @Test
  void fileContentIsPreservedByteForByte() throws IOException {
    towerfile("");
    Files.writeString(dir.resolve("main.py"), "print('hello world')");

    assertThat(content(pack(towerfile("")), "main.py")).isEqualTo("print('hello world')");
  }

  @Test
  void towerfileEntryHoldsTheParsedText() throws IOException {
    files("main.py");
    Towerfile tf = towerfile("# comment\n");

    assertThat(content(pack(tf), "Towerfile")).isEqualTo(tf.rawToml());
  }

  // P-9
  @Test
  void symlinkIsPackagedAsASymlinkEntry() throws IOException {
    files("main.py", "lib/util.py");
    Files.createSymbolicLink(dir.resolve("link.py"), Path.of("lib/util.py"));

    TarArchiveEntry link = entries(pack(towerfile("source = [\"./*.py\"]\n"))).get("link.py");

    assertThat(link.isSymbolicLink()).isTrue();
    assertThat(link.getLinkName()).isEqualTo("lib/util.py");
  }

  @Test
  void absoluteSymlinkInsideTheProjectIsStoredWithARelativeTarget() throws IOException {
    files("main.py", "lib/util.py");
    Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(dir.resolve("bin/util.py"), dir.resolve("lib/util.py").toRealPath());

    byte[] gz = pack(towerfile(""));

    assertThat(entries(gz).get("bin/util.py").getLinkName()).isEqualTo("../lib/util.py");
    assertThat(
            ArchiveInspector.inspect(new ByteArrayInputStream(gz), ArchiveLimits.defaults())
                .fileNames())
        .contains("bin/util.py");
  }

  @Test
  void symlinkOutsideTheProjectAbortsPackaging(@TempDir Path elsewhere) throws IOException {
    files("main.py");
    Files.createSymbolicLink(
        dir.resolve("secret.py"), Files.writeString(elsewhere.resolve("s.py"), "x"));

    assertThatThrownBy(() -> pack(towerfile("")))
        .isInstanceOf(PackagingException.class)
        .hasMessage("resolving source: symlink \"secret.py\" points outside the project root");
  }

  @Test
  void sameInputsGiveTheSameBytesRegardlessOfTimestamps() throws Exception {
    files("main.py", "lib/util.py");
    Towerfile tf = towerfile("");
    byte[] first = pack(tf);

    Files.setLastModifiedTime(dir.resolve("main.py"), FileTime.fromMillis(1_000_000_000L));
    Files.setLastModifiedTime(dir.resolve("lib/util.py"), FileTime.fromMillis(2_000_000_000_000L));
    byte[] second = pack(tf);

    assertThat(sha256(second)).isEqualTo(sha256(first));
  }

  @Test
  void entriesHaveFixedMetadataAndNormalisedModes() throws IOException {
    files("main.py", "run.sh");
    Files.setPosixFilePermissions(
        dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxrwx---"));
    Files.setPosixFilePermissions(
        dir.resolve("main.py"), PosixFilePermissions.fromString("rw-rw-rw-"));

    Map<String, TarArchiveEntry> entries = entries(pack(towerfile("")));

    assertThat(entries.get("run.sh").getMode() & 07777).isEqualTo(0755);
    assertThat(entries.get("main.py").getMode() & 07777).isEqualTo(0644);
    for (TarArchiveEntry entry : entries.values()) {
      assertThat(entry.getModTime().getTime())
          .isEqualTo(ArtifactPackager.MTIME_EPOCH_SECONDS * 1000);
      assertThat(entry.getLongUserId()).isZero();
      assertThat(entry.getLongGroupId()).isZero();
    }
  }

  @Test
  void longAndNonAsciiNamesSurviveAndPassInspection() throws IOException {
    String deep = "d/".repeat(70) + "deep.py";
    files("main.py", deep, "données/é.py");

    byte[] gz = pack(towerfile(""));

    assertThat(entries(gz).keySet()).contains(deep, "données/é.py");
    assertThat(
            ArchiveInspector.inspect(new ByteArrayInputStream(gz), ArchiveLimits.defaults())
                .fileNames())
        .contains(deep, "données/é.py");
  }

  @Test
  void packagedArtifactPassesInspectionWithTheSameTowerfile() throws IOException {
    files("main.py", "lib/util.py");
    Towerfile tf = towerfile("");

    ArchiveContents contents =
        ArchiveInspector.inspect(new ByteArrayInputStream(pack(tf)), ArchiveLimits.defaults());

    assertThat(contents.towerfileText()).isEqualTo(tf.rawToml());
    assertThat(contents.fileNames())
        .containsExactlyInAnyOrder("Towerfile", "lib/util.py", "main.py");
  }

  @Test
  void towerfileIsFirstEvenWithManyOtherFiles() throws IOException {
    for (int i = 0; i < 60; i++) {
      files("a" + i + ".py");
    }
    files("main.py");

    assertThat(entries(pack(towerfile("source = [\"./*.py\"]\n"))).keySet().iterator().next())
        .isEqualTo("Towerfile");
  }

  @Test
  void pathLongerThanTheArtifactLimitIsRefusedBeforeUpload() throws IOException {
    String deep = "abcdefghi/".repeat(103) + "x.py";
    files("main.py", deep);

    assertThatThrownBy(() -> pack(towerfile("")))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining("is longer than 1024 bytes");
  }
}
