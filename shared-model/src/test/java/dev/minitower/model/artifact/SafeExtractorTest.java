package dev.minitower.model.artifact;

import static dev.minitower.model.artifact.TestArchives.TOWERFILE;
import static dev.minitower.model.artifact.TestArchives.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.model.towerfile.TowerfileParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeExtractorTest {

  @TempDir Path dest;
  @TempDir Path outside;

  private ArchiveContents extract(byte[] gz) throws IOException {
    return SafeExtractor.extract(new ByteArrayInputStream(gz), dest, ArchiveLimits.defaults());
  }

  private void assertRejected(byte[] gz, String... fragments) {
    assertThatThrownBy(() -> extract(gz))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ArchiveException.ARTIFACT_INVALID);
              assertThat(e.message()).contains(fragments);
            });
  }

  private long outsideEntries() throws IOException {
    try (Stream<Path> s = Files.walk(outside)) {
      return s.count() - 1;
    }
  }

  private String perms(String name) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve(name)));
  }

  @Test
  void extractsFilesDirectoriesAndContent() throws IOException {
    ArchiveContents contents =
        extract(
            tar()
                .towerfile()
                .dir("lib")
                .file("lib/util.py", "x = 1\n")
                .file("main.py", "print(1)\n")
                .gz());

    assertThat(Files.readString(dest.resolve("main.py"))).isEqualTo("print(1)\n");
    assertThat(Files.readString(dest.resolve("lib/util.py"))).isEqualTo("x = 1\n");
    assertThat(contents.towerfileText()).isEqualTo(TOWERFILE);
    assertThat(contents.fileNames())
        .containsExactlyInAnyOrder("Towerfile", "lib/util.py", "main.py");
  }

  @Test
  void createsMissingParentDirectories() throws IOException {
    extract(tar().file("a/b/c/deep.py", "d").gz());

    assertThat(Files.readString(dest.resolve("a/b/c/deep.py"))).isEqualTo("d");
    assertThat(perms("a/b")).isEqualTo("rwxr-xr-x");
  }

  @Test
  void modesAreLimitedTo0755And0644() throws IOException {
    extract(
        tar()
            .file("run.sh", "echo".getBytes(StandardCharsets.UTF_8), 0777)
            .file("data.txt", new byte[0], 0666)
            .file("private.txt", new byte[0], 0600)
            .dir("d", 0777)
            .gz());

    assertThat(perms("run.sh")).isEqualTo("rwxr-xr-x");
    assertThat(perms("data.txt")).isEqualTo("rw-r--r--");
    assertThat(perms("private.txt")).isEqualTo("rw-r--r--");
    assertThat(perms("d")).isEqualTo("rwxr-xr-x");
  }

  @Test
  void innerSymlinkIsCreatedAsASymlink() throws IOException {
    extract(tar().file("lib/util.py", "u").symlink("link.py", "lib/util.py").gz());

    assertThat(Files.isSymbolicLink(dest.resolve("link.py"))).isTrue();
    assertThat(Files.readSymbolicLink(dest.resolve("link.py"))).isEqualTo(Path.of("lib/util.py"));
    assertThat(Files.readString(dest.resolve("link.py"))).isEqualTo("u");
  }

  @Test
  void hardlinkIsWrittenAsACopy() throws IOException {
    extract(tar().file("a.py", "same").hardlink("b.py", "a.py").gz());

    assertThat(Files.isSymbolicLink(dest.resolve("b.py"))).isFalse();
    assertThat(Files.readString(dest.resolve("b.py"))).isEqualTo("same");
  }

  @Test
  void dotDotEntryIsRejectedAndNothingIsWrittenOutside() throws IOException {
    String escape = "../" + outside.getFileName() + "/pwned";
    Files.createDirectories(dest);

    assertRejected(tar().file(escape, "x").gz(), "\"..\"");
    assertThat(outsideEntries()).isZero();
  }

  @Test
  void absoluteEntryIsRejectedAndNothingIsWrittenThere() throws IOException {
    assertRejected(tar().file(outside.resolve("pwned").toString(), "x").gz(), "absolute");
    assertThat(outsideEntries()).isZero();
  }

  @Test
  void escapingSymlinkIsRejectedAndNotCreated() throws IOException {
    assertRejected(
        tar().file("a.py", "a").symlink("out", outside.toString()).gz(), "absolute target");
    assertThat(Files.exists(dest.resolve("out"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
  }

  @Test
  void symlinkChainEscapeIsRejectedBeforeAnyLinkIsCreated() throws IOException {
    assertRejected(tar().dir("a").symlink("a/s", "..").symlink("l", "a/s/..").gz(), "outside");

    assertThat(Files.exists(dest.resolve("a/s"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
  }

  @Test
  void existingSymlinkDirectoryInTheDestinationIsNeverFollowed() throws IOException {
    Files.createSymbolicLink(dest.resolve("lib"), outside);

    assertRejected(tar().file("lib/x.py", "x").gz(), "existing symlink");
    assertThat(outsideEntries()).isZero();
  }

  @Test
  void existingSymlinkFileInTheDestinationIsNeverWrittenThrough() throws IOException {
    Path victim = Files.writeString(outside.resolve("victim.txt"), "original");
    Files.createSymbolicLink(dest.resolve("main.py"), victim);

    assertRejected(tar().file("main.py", "overwritten").gz(), "existing symlink");
    assertThat(Files.readString(victim)).isEqualTo("original");
  }

  @Test
  void existingRegularFileIsReplaced() throws IOException {
    Files.writeString(dest.resolve("main.py"), "old");

    extract(tar().file("main.py", "new").gz());

    assertThat(Files.readString(dest.resolve("main.py"))).isEqualTo("new");
  }

  @Test
  void setuidEntryIsRejected() {
    assertRejected(tar().file("su", new byte[0], 04755).gz(), "setuid");
  }

  @Test
  void devicesAndFifosAreRejected() {
    assertRejected(
        tar().special("dev", org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR).gz(),
        "device");
    assertRejected(
        tar().special("fifo", org.apache.commons.compress.archivers.tar.TarConstants.LF_FIFO).gz(),
        "FIFO");
  }

  @Test
  void uncompressedLimitStopsExtraction() {
    byte[] gz = tar().file("a.bin", new byte[4096], 0644).file("b.bin", new byte[4096], 0644).gz();

    assertThatThrownBy(
            () ->
                SafeExtractor.extract(
                    new ByteArrayInputStream(gz), dest, new ArchiveLimits(10, 5000, 1024, 1024)))
        .isInstanceOfSatisfying(
            ArchiveException.class, e -> assertThat(e.message()).contains("\"b.bin\""));
    assertThat(Files.exists(dest.resolve("b.bin"))).isFalse();
  }

  @Test
  void archiveWithoutTowerfileExtractsWithNullTowerfileText() throws IOException {
    assertThat(extract(tar().file("main.py", "x").gz()).towerfileText()).isNull();
  }

  @Test
  void nonGzipInputIsRejectedWithTheOriginalMessage() {
    assertThatThrownBy(() -> extract("not gzip".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e -> assertThat(e.message()).isEqualTo("artifact is not a valid gzip archive"));
  }

  @Test
  void packagedProjectRoundTripsThroughExtraction(@TempDir Path project) throws IOException {
    String text = "[app]\nname = \"my-app\"\nscript = \"main.py\"\n";
    Files.writeString(project.resolve("Towerfile"), text);
    Files.writeString(project.resolve("main.py"), "print('hi')\n");
    Files.createDirectories(project.resolve("lib"));
    Files.writeString(project.resolve("lib/util.py"), "u\n");
    Files.createSymbolicLink(project.resolve("link.py"), Path.of("lib/util.py"));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    ArtifactPackager.pack(project, TowerfileParser.parse(text), gz);

    ArchiveContents contents = extract(gz.toByteArray());

    assertThat(contents.towerfileText()).isEqualTo(text);
    assertThat(Files.readString(dest.resolve("main.py"))).isEqualTo("print('hi')\n");
    assertThat(Files.readString(dest.resolve("link.py"))).isEqualTo("u\n");
    assertThat(Files.isSymbolicLink(dest.resolve("link.py"))).isTrue();
  }

  @Test
  void archiveWrittenBySystemTarWithDirectoriesAndLinksExtracts(@TempDir Path project)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")));
    Files.writeString(project.resolve("Towerfile"), TOWERFILE);
    Files.createDirectories(project.resolve("lib/sub"));
    Files.writeString(project.resolve("lib/sub/util.py"), "u\n");
    Files.writeString(project.resolve("main.py"), "print(1)\n");
    Files.createSymbolicLink(project.resolve("link.py"), Path.of("lib/sub/util.py"));
    Path archive = outside.resolve("a.tar.gz");
    Process tar =
        new ProcessBuilder("tar", "-czf", archive.toString(), "-C", project.toString(), ".")
            .redirectErrorStream(true)
            .start();
    assertThat(tar.waitFor()).isZero();

    ArchiveContents contents =
        SafeExtractor.extract(Files.newInputStream(archive), dest, ArchiveLimits.defaults());

    assertThat(contents.fileNames())
        .containsExactlyInAnyOrder("Towerfile", "lib/sub/util.py", "main.py", "link.py");
    assertThat(Files.readString(dest.resolve("link.py"))).isEqualTo("u\n");
    assertThat(contents.towerfileText()).isEqualTo(TOWERFILE);
  }
}
