package dev.minitower.model.artifact;

import static dev.minitower.model.artifact.TestArchives.TOWERFILE;
import static dev.minitower.model.artifact.TestArchives.gzip;
import static dev.minitower.model.artifact.TestArchives.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ArchiveInspectorTest {

  private static ArchiveContents inspect(byte[] gz) throws IOException {
    return ArchiveInspector.inspect(new ByteArrayInputStream(gz), ArchiveLimits.defaults());
  }

  private static ArchiveContents inspect(byte[] gz, ArchiveLimits limits) throws IOException {
    return ArchiveInspector.inspect(new ByteArrayInputStream(gz), limits);
  }

  private static void assertRejected(ThrowingCallable call, String code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.message()).isEqualTo(message);
            });
  }

  private static void assertInvalid(byte[] gz, String... fragments) {
    assertThatThrownBy(() -> inspect(gz))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ArchiveException.ARTIFACT_INVALID);
              assertThat(e.message()).contains(fragments);
            });
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    return data;
  }

  // ---- accepted artifacts

  @Test
  void minimalArtifactYieldsTowerfileAndFileNames() throws IOException {
    ArchiveContents contents = inspect(tar().file("main.py", "print(1)\n").towerfile().gz());

    assertThat(contents.towerfileText()).isEqualTo(TOWERFILE);
    assertThat(contents.fileNames()).containsExactlyInAnyOrder("Towerfile", "main.py");
    assertThat(contents.entryCount()).isEqualTo(2);
    assertThat(contents.uncompressedBytes()).isEqualTo(9 + TOWERFILE.length());
  }

  @Test
  void dotSlashTowerfileIsTheRootTowerfile() throws IOException {
    ArchiveContents contents = inspect(tar().dir("./").file("./Towerfile", TOWERFILE).gz());

    assertThat(contents.towerfileText()).isEqualTo(TOWERFILE);
    assertThat(contents.fileNames()).containsExactly("Towerfile");
  }

  @Test
  void towerfileAfterTheFiftiethEntryIsFound() throws IOException {
    TestArchives archive = tar();
    for (int i = 0; i < 200; i++) {
      archive.file("f" + i + ".py", "");
    }
    assertThat(inspect(archive.towerfile().gz()).towerfileText()).isEqualTo(TOWERFILE);
  }

  @Test
  void innerSymlinksHardlinksAndDirectoriesAreAccepted() throws IOException {
    byte[] gz =
        tar()
            .towerfile()
            .dir("lib")
            .file("lib/util.py", "x")
            .symlink("link.py", "lib/util.py")
            .symlink("lib/up.py", "../link.py")
            .symlink("alias", "lib")
            .hardlink("copy.py", "lib/util.py")
            .dir("lib")
            .gz();

    assertThat(inspect(gz).fileNames())
        .containsExactlyInAnyOrder(
            "Towerfile", "lib/util.py", "link.py", "lib/up.py", "alias", "copy.py");
  }

  /**
   * Bytes after the gzip data (a second, broken member) are ignored, as gzip(1) and tar(1) do: the
   * archive's entries are exactly those of the first member, here and in the agent's extractor
   * (documented in docs/compatibility.md and docs/security.md).
   */
  @Test
  void bytesAfterTheGzipDataAreIgnored() throws IOException {
    byte[] gz = tar().towerfile().file("main.py", "print('hi')").gz();
    byte[] withGarbage = java.util.Arrays.copyOf(gz, gz.length + 64);
    for (int i = gz.length; i < withGarbage.length; i++) {
      withGarbage[i] = (byte) (i * 31);
    }

    assertThat(inspect(withGarbage).fileNames()).containsExactlyInAnyOrder("Towerfile", "main.py");
    assertThat(inspect(withGarbage).towerfileText()).isEqualTo(inspect(gz).towerfileText());
  }

  @Test
  void longNamesWithinTheLimitAreAccepted() throws IOException {
    String name = "d/".repeat(300) + "x.py";
    assertThat(inspect(tar().towerfile().file(name, "").gz()).fileNames()).contains(name);
    assertThat(inspect(TestArchives.gnuTar().towerfile().file(name, "").gz()).fileNames())
        .contains(name);
  }

  @Test
  void archiveWrittenBySystemTarIsAccepted(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")));
    Files.writeString(dir.resolve("Towerfile"), TOWERFILE);
    Files.writeString(dir.resolve("main.py"), "print('hi')\n");
    Path out = dir.resolve("artifact.tar.gz");
    Process p =
        new ProcessBuilder(
                "tar", "-czf", out.toString(), "-C", dir.toString(), "main.py", "Towerfile")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor()).isZero();

    ArchiveContents contents = inspect(Files.readAllBytes(out));

    assertThat(contents.fileNames()).containsExactlyInAnyOrder("main.py", "Towerfile");
  }

  @Test
  void towerfileOfExactlyTheLimitIsAccepted() throws IOException {
    String text = TOWERFILE + "#".repeat(262_144 - TOWERFILE.length());
    assertThat(inspect(tar().file("Towerfile", text).gz()).towerfileText()).hasSize(262_144);
  }

  // ---- the original's messages (TOWERFILE_MISSING)

  @Test
  void nonGzipBytesAreNotAValidGzipArchive() {
    assertRejected(
        () -> inspect("PK\3\4 this is a zip".getBytes(StandardCharsets.US_ASCII)),
        "TOWERFILE_MISSING",
        "artifact is not a valid gzip archive");
  }

  @Test
  void emptyUploadIsNotAValidGzipArchive() {
    assertRejected(
        () -> inspect(new byte[0]), "TOWERFILE_MISSING", "artifact is not a valid gzip archive");
  }

  @Test
  void gzippedNonTarIsNotAValidTarArchive() {
    byte[] text =
        "just some text, certainly not a tar header\n".repeat(30).getBytes(StandardCharsets.UTF_8);
    assertRejected(
        () -> inspect(gzip(text)), "TOWERFILE_MISSING", "artifact is not a valid tar archive");
  }

  @Test
  void gzippedShortPayloadIsNotAValidTarArchive() {
    assertRejected(
        () -> inspect(gzip("hello".getBytes(StandardCharsets.US_ASCII))),
        "TOWERFILE_MISSING",
        "artifact is not a valid tar archive");
  }

  @Test
  void corruptHeaderChecksumIsNotAValidTarArchive() {
    byte[] raw = tar().towerfile().tarBytes();
    raw[0] ^= 1;
    assertRejected(
        () -> inspect(gzip(raw)), "TOWERFILE_MISSING", "artifact is not a valid tar archive");
  }

  @Test
  void archiveWithoutTowerfileIsRejected() {
    assertRejected(
        () -> inspect(tar().file("main.py", "").gz()),
        "TOWERFILE_MISSING",
        "artifact does not contain a Towerfile");
  }

  @Test
  void emptyTarIsMissingTheTowerfile() {
    assertRejected(
        () -> inspect(gzip(new byte[1024])),
        "TOWERFILE_MISSING",
        "artifact does not contain a Towerfile");
  }

  @Test
  void towerfileInASubdirectoryIsNotTheRootTowerfile() {
    assertRejected(
        () -> inspect(tar().file("sub/Towerfile", TOWERFILE).file("towerfile", TOWERFILE).gz()),
        "TOWERFILE_MISSING",
        "artifact does not contain a Towerfile");
  }

  @Test
  void oversizedTowerfileIsRejected() {
    String text = TOWERFILE + "#".repeat(262_145 - TOWERFILE.length());
    assertRejected(
        () -> inspect(tar().file("Towerfile", text).gz()),
        "TOWERFILE_MISSING",
        "Towerfile exceeds maximum size of 262144 bytes");
  }

  @Test
  void towerfileCutShortIsReportedAsUnreadable() {
    byte[] raw = tar().file("Towerfile", "#".repeat(4000)).tarBytes();
    assertRejected(
        () -> inspect(gzip(Arrays.copyOf(raw, 1024))),
        "TOWERFILE_MISSING",
        "reading Towerfile from archive: artifact is truncated inside entry \"Towerfile\"");
  }

  @Test
  void nonUtf8TowerfileIsInvalid() {
    byte[] bad = {'[', 'a', 'p', 'p', ']', '\n', (byte) 0xff, (byte) 0xfe};
    assertRejected(
        () -> inspect(tar().file("Towerfile", bad, 0644).gz()),
        "TOWERFILE_INVALID",
        "invalid Towerfile: parsing towerfile: Towerfile is not valid UTF-8");
  }

  // ---- safety rules (ARTIFACT_INVALID)

  @Test
  void absoluteEntryNameIsRejected() {
    assertInvalid(
        tar().towerfile().file("/etc/cron.d/evil", "x").gz(), "\"/etc/cron.d/evil\"", "absolute");
  }

  @Test
  void dotDotEntryNamesAreRejected() {
    assertInvalid(tar().towerfile().file("../evil.py", "x").gz(), "\"../evil.py\"", "\"..\"");
    assertInvalid(tar().towerfile().file("a/../../evil.py", "x").gz(), "\"a/../../evil.py\"");
    assertInvalid(tar().towerfile().file("a/b/..", "x").gz(), "\"a/b/..\"");
  }

  @Test
  void dotDotInsideALongPaxNameIsRejected() {
    String name = "d/".repeat(80) + "../".repeat(81) + "x";
    assertInvalid(tar().towerfile().file(name, "x").gz(), "\"..\"");
  }

  @Test
  void symlinkWithAbsoluteTargetIsRejected() {
    assertInvalid(
        tar().towerfile().symlink("passwd", "/etc/passwd").gz(),
        "\"passwd\"",
        "absolute target",
        "/etc/passwd");
  }

  @Test
  void symlinkClimbingOutOfTheRootIsRejected() {
    assertInvalid(tar().towerfile().symlink("lib/etc", "../../etc").gz(), "\"lib/etc\"", "outside");
  }

  @Test
  void symlinkChainThatEscapesThroughAnotherSymlinkIsRejected() {
    byte[] gz = tar().towerfile().dir("a").symlink("a/s", "..").symlink("l", "a/s/..").gz();

    assertInvalid(gz, "\"l\"", "outside");
  }

  @Test
  void symlinkChainDeclaredInReverseOrderIsRejected() {
    byte[] gz = tar().towerfile().symlink("l", "a/s/..").dir("a").symlink("a/s", "..").gz();

    assertInvalid(gz, "\"l\"", "outside");
  }

  @Test
  void symlinkLoopIsRejected() {
    assertInvalid(tar().towerfile().symlink("a", "b").symlink("b", "a").gz(), "loop");
  }

  @Test
  void chainOfInnerSymlinksIsAccepted() throws IOException {
    TestArchives archive = tar().towerfile().file("lib/real.py", "x").symlink("l0", "lib/real.py");
    for (int i = 1; i < 30; i++) {
      archive.symlink(
          "d" + i + "/l" + i, "../" + (i == 1 ? "" : "d" + (i - 1) + "/") + "l" + (i - 1));
    }
    assertThat(inspect(archive.gz()).fileNames()).contains("d29/l29");
  }

  @Test
  void symlinkThroughANonArchiveDirectoryStaysInsideUnlessItClimbsOut() throws IOException {
    assertThat(inspect(tar().towerfile().symlink("l", "x/y/../../Towerfile").gz()).fileNames())
        .contains("l");
    assertInvalid(tar().towerfile().symlink("l", "x/../../Towerfile").gz(), "outside");
  }

  @Test
  @Timeout(20)
  void expensiveSymlinkGraphIsRefusedByTheWorkBudget() {
    // "a" expands to ~330 segments that climb back to the root; each link walks through it 39
    // times.
    TestArchives archive =
        tar().towerfile().symlink("a", "x/".repeat(166) + "../".repeat(166) + ".");
    for (int i = 0; i < 400; i++) {
      archive.symlink("s" + i, "a/".repeat(39) + "Towerfile");
    }

    assertInvalid(archive.gz(), "symlinks are too complex to verify");
  }

  @Test
  void entryBelowASymlinkIsRejected() {
    byte[] gz = tar().towerfile().dir("real").symlink("l", "real").file("l/x.py", "x").gz();

    assertInvalid(gz, "\"l/x.py\"", "not a directory");
  }

  @Test
  void symlinkReplacingAnEarlierDirectoryIsRejected() {
    byte[] gz = tar().towerfile().file("d/x.py", "x").symlink("d", "..").gz();

    assertInvalid(gz, "\"d\"");
  }

  @Test
  void hardlinkWithAbsoluteTargetIsRejected() {
    assertInvalid(
        tar().towerfile().hardlink("shadow", "/etc/shadow").gz(), "\"shadow\"", "/etc/shadow");
  }

  @Test
  void hardlinkClimbingOutIsRejected() {
    assertInvalid(tar().towerfile().hardlink("x", "../../etc/shadow").gz(), "\"x\"", "outside");
  }

  @Test
  void hardlinkToAnUnknownFileIsRejected() {
    assertInvalid(
        tar().towerfile().hardlink("x", "artifact.tar.gz").gz(), "\"x\"", "earlier regular file");
  }

  @Test
  void characterDeviceIsRejected() {
    assertInvalid(tar().towerfile().special("tty", TarConstants.LF_CHR).gz(), "\"tty\"", "device");
  }

  @Test
  void blockDeviceIsRejected() {
    assertInvalid(tar().towerfile().special("sda", TarConstants.LF_BLK).gz(), "\"sda\"", "device");
  }

  @Test
  void fifoIsRejected() {
    assertInvalid(tar().towerfile().special("pipe", TarConstants.LF_FIFO).gz(), "\"pipe\"", "FIFO");
  }

  @Test
  void unknownEntryTypeIsRejected() {
    assertInvalid(
        tar().towerfile().special("weird", (byte) 'Z').gz(), "\"weird\"", "unsupported type");
  }

  @Test
  void setuidFileIsRejected() {
    assertInvalid(tar().towerfile().file("su.sh", new byte[0], 04755).gz(), "\"su.sh\"", "setuid");
  }

  @Test
  void setgidDirectoryIsRejected() {
    assertInvalid(tar().towerfile().dir("shared", 02775).gz(), "\"shared/\"", "setgid");
  }

  @Test
  void duplicateFileNamesAreRejected() {
    assertInvalid(
        tar().towerfile().file("main.py", "a").file("main.py", "b").gz(),
        "duplicate",
        "\"main.py\"");
  }

  @Test
  void duplicateNamesDifferingOnlyByDotSlashAreRejected() {
    assertInvalid(tar().towerfile().file("main.py", "a").file("./main.py", "b").gz(), "duplicate");
  }

  @Test
  void duplicateTowerfileIsRejected() {
    assertInvalid(
        tar().towerfile().file("./Towerfile", "[app]\n").gz(), "duplicate", "\"Towerfile\"");
  }

  @Test
  void towerfileThatIsASymlinkIsRejected() {
    assertInvalid(
        tar().file("real.toml", TOWERFILE).symlink("Towerfile", "real.toml").gz(), "regular file");
  }

  @Test
  void tooManyEntriesAreRejected() {
    TestArchives archive = tar().towerfile();
    for (int i = 0; i < 100; i++) {
      archive.file("f" + i, "");
    }
    assertThatThrownBy(() -> inspect(archive.gz(), new ArchiveLimits(100, 1 << 20, 1024, 262_144)))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e -> assertThat(e.message()).isEqualTo("artifact has more than 100 entries"));
  }

  @Test
  @Timeout(30)
  void archiveWithFarMoreEntriesThanTheDefaultLimitIsRejected() {
    TestArchives archive = tar().towerfile();
    for (int i = 0; i < 10_050; i++) {
      archive.file("f" + i, "");
    }
    assertInvalid(archive.gz(), "more than 10000 entries");
  }

  @Test
  void deepUniquePathsAreBoundedByTheDistinctPathBudget() {
    TestArchives archive = tar().towerfile();
    for (int i = 0; i < 10; i++) {
      archive.file("u" + i + "/" + "d/".repeat(200) + "x", "");
    }
    assertThatThrownBy(() -> inspect(archive.gz(), new ArchiveLimits(10, 1 << 20, 1024, 262_144)))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e ->
                assertThat(e.message())
                    .isEqualTo("artifact names more than 1664 distinct paths and directories"));
  }

  @Test
  void fileLaterUsedAsADirectoryIsRejected() {
    assertInvalid(
        tar().towerfile().file("a", "x").file("a/b", "y").gz(),
        "\"a/b\"",
        "\"a\"",
        "not a directory");
  }

  @Test
  void directoryDeclaredAfterItsContentIsAccepted() throws IOException {
    assertThat(inspect(tar().towerfile().file("a/b", "y").dir("a").gz()).fileNames())
        .containsExactly("Towerfile", "a/b");
  }

  @Test
  void fileDeclaredWhereADirectoryIsImpliedIsRejected() {
    assertInvalid(
        tar().towerfile().file("a/b", "y").file("a", "x").gz(),
        "\"a\"",
        "other entries are inside it");
  }

  @Test
  void nameLongerThanTheLimitIsRejected() {
    String name = "n".repeat(1025);
    assertInvalid(tar().towerfile().file(name, "").gz(), "longer than 1024 bytes");
    assertInvalid(TestArchives.gnuTar().towerfile().file(name, "").gz(), "longer than 1024 bytes");
  }

  @Test
  void hugeGnuLongNameHeaderIsRejectedWithoutReadingIt() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(TestArchives.rawHeader("././@LongLink", 'L', 100L * 1024 * 1024));
    raw.write(new byte[4096]);
    assertInvalid(gzip(raw.toByteArray()), "longer than 1024 bytes");
  }

  @Test
  void hugePaxHeaderIsRejectedWithoutReadingIt() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(TestArchives.rawHeader("PaxHeaders/x", 'x', 100L * 1024 * 1024));
    raw.write(new byte[4096]);
    assertInvalid(gzip(raw.toByteArray()), "extended header larger than");
  }

  @Test
  void manyLargeExtendedHeadersAreCappedInTotal() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(tar().towerfile().tarBytes(), 0, 1024);
    byte[] pax = paxRecord("comment", 60_000);
    for (int i = 0; i < 50; i++) {
      raw.write(TestArchives.rawHeader("PaxHeaders/f" + i, 'x', pax.length));
      raw.write(pax);
      raw.write(new byte[(512 - pax.length % 512) % 512]);
      raw.write(TestArchives.rawHeader("f" + i, '0', 0));
    }
    ArchiveLimits limits = new ArchiveLimits(20, 1 << 20, 1024, 262_144);

    assertThatThrownBy(() -> inspect(gzip(raw.toByteArray()), limits))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e ->
                assertThat(e.message())
                    .isEqualTo("artifact has more than 86016 bytes of extended headers"));
  }

  @Test
  void paxPathAndSizeRecordsAreHonoured() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(tar().towerfile().tarBytes(), 0, 1024);
    byte[] pax =
        (record("path", "renamed/by-pax.py") + record("size", "3"))
            .getBytes(StandardCharsets.UTF_8);
    raw.write(TestArchives.rawHeader("PaxHeaders/x", 'x', pax.length));
    raw.write(pax);
    raw.write(new byte[512 - pax.length]);
    raw.write(TestArchives.rawHeader("short-name", '0', 0));
    raw.write("abc".getBytes(StandardCharsets.US_ASCII));
    raw.write(new byte[509 + 1024]);

    assertThat(inspect(gzip(raw.toByteArray())).fileNames())
        .containsExactly("Towerfile", "renamed/by-pax.py");
  }

  @Test
  void malformedPaxRecordIsNotAValidTarArchive() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] pax = "99 path=x\n".getBytes(StandardCharsets.UTF_8);
    raw.write(TestArchives.rawHeader("PaxHeaders/x", 'x', pax.length));
    raw.write(pax);
    raw.write(new byte[512 - pax.length]);
    raw.write(TestArchives.rawHeader("Towerfile", '0', 0));
    raw.write(new byte[1024]);

    assertRejected(
        () -> inspect(gzip(raw.toByteArray())),
        "TOWERFILE_MISSING",
        "artifact is not a valid tar archive");
  }

  private static String record(String key, String value) {
    int length = key.length() + value.length() + 3;
    length += String.valueOf(length).length();
    if (String.valueOf(length).length() != String.valueOf(length - 1).length()) {
      length++;
    }
    return length + " " + key + "=" + value + "\n";
  }

  private static byte[] paxRecord(String key, int valueLength) {
    return record(key, "v".repeat(valueLength)).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void entryDeclaringMoreThanTheUncompressedLimitIsRejectedFromItsHeader() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(tar().towerfile().tarBytes(), 0, 1024);
    raw.write(TestArchives.rawHeader("bomb.bin", '0', 8L * 1024 * 1024 * 1024 - 1));
    raw.write(new byte[1 << 20]);
    assertInvalid(gzip(raw.toByteArray()), "exceeds", "\"bomb.bin\"");
  }

  @Test
  @Timeout(60)
  void gzipBombIsNotFullyInflated() throws IOException {
    // 64 entries of 1 MiB zeros: ~64 MiB inflated, ~64 KiB compressed; the limit is 8 MiB.
    byte[] zeros = new byte[1 << 20];
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      gz.write(tar().towerfile().tarBytes(), 0, 1024);
      for (int i = 0; i < 64; i++) {
        gz.write(TestArchives.rawHeader("zero" + i, '0', zeros.length));
        gz.write(zeros);
      }
      gz.write(new byte[1024]);
    }
    byte[] bomb = compressed.toByteArray();
    CountingStream in = new CountingStream(new ByteArrayInputStream(bomb));

    assertThatThrownBy(
            () -> ArchiveInspector.inspect(in, new ArchiveLimits(10_000, 8L << 20, 1024, 262_144)))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e -> assertThat(e.message()).contains("exceeds 8388608 bytes", "\"zero7\""));
    assertThat(in.count).isLessThan(bomb.length / 2);
  }

  @Test
  @Timeout(60)
  void zerosAfterTheEndOfArchiveAreNeverInflated() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      gz.write(tar().towerfile().tarBytes());
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        gz.write(zeros);
      }
    }
    byte[] bomb = compressed.toByteArray();
    CountingStream in = new CountingStream(new ByteArrayInputStream(bomb));

    assertThat(ArchiveInspector.inspect(in, ArchiveLimits.defaults()).towerfileText())
        .isEqualTo(TOWERFILE);
    assertThat(in.count).isLessThan(bomb.length / 4);
  }

  @Test
  void truncatedGzipIsRejected() {
    byte[] gz = tar().towerfile().file("data.bin", random(200_000), 0644).gz();

    assertInvalid(Arrays.copyOf(gz, gz.length / 2), "truncated");
  }

  @Test
  void gzipWithMissingTrailerIsRejected() {
    byte[] gz = tar().towerfile().file("data.bin", random(20_000), 0644).gz();

    assertThatThrownBy(() -> inspect(Arrays.copyOf(gz, gz.length - 4)))
        .isInstanceOf(ArchiveException.class);
  }

  @Test
  void corruptedGzipPayloadIsRejected() {
    byte[] gz = tar().towerfile().file("data.bin", random(20_000), 0644).gz();
    gz[gz.length / 2] ^= 0x55;

    assertThatThrownBy(() -> inspect(gz))
        .isInstanceOfSatisfying(
            ArchiveException.class,
            e ->
                assertThat(e.code())
                    .isIn(ArchiveException.ARTIFACT_INVALID, ArchiveException.TOWERFILE_MISSING));
  }

  @Test
  void tarCutInsideAnEntryIsRejected() {
    byte[] raw = tar().towerfile().file("data.bin", random(5000), 0644).tarBytes();

    assertInvalid(gzip(Arrays.copyOf(raw, 2048)), "truncated", "\"data.bin\"");
  }

  @Test
  void failingSourceStreamSurfacesAsIoExceptionNotAsABadArtifact() {
    byte[] gz = tar().towerfile().file("data.bin", random(100_000), 0644).gz();
    InputStream failing =
        new FilterInputStream(new ByteArrayInputStream(gz)) {
          int served;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (served > 10_000) {
              throw new IOException("connection reset");
            }
            int n = super.read(b, off, Math.min(len, 1000));
            served += Math.max(n, 0);
            return n;
          }
        };

    assertThatThrownBy(() -> ArchiveInspector.inspect(failing, ArchiveLimits.defaults()))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ArchiveException.class)
        .hasMessage("connection reset");
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new ArchiveLimits(0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultLimitsMatchTheDocumentedValues() {
    assertThat(ArchiveLimits.defaults())
        .isEqualTo(new ArchiveLimits(10_000, 512L * 1024 * 1024, 1024, 262_144));
  }

  static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
