package dev.minitower.model.towerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceGlobsTest {

  @TempDir Path dir;
  @TempDir Path elsewhere;

  private void files(String... names) throws IOException {
    for (String name : names) {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "");
    }
  }

  private List<String> resolve(String... patterns) throws IOException {
    return SourceGlobs.resolve(dir, List.of(patterns));
  }

  // RS-1
  @Test
  void recursivePythonGlobAndLiteralFileSelectExactlyThoseFiles() throws IOException {
    files("main.py", "lib/util.py", "lib/helper.py", "requirements.txt", "README.md");

    assertThat(resolve("./**/*.py", "./requirements.txt"))
        .containsExactly("lib/helper.py", "lib/util.py", "main.py", "requirements.txt");
  }

  // RS-2
  @Test
  void doubleStarSelectsFilesButNotDirectories() throws IOException {
    files("main.py", "sub/a.txt");

    assertThat(resolve("./**")).containsExactly("main.py", "sub/a.txt");
  }

  // RS-3
  @Test
  void filesMatchedByTwoPatternsAppearOnce() throws IOException {
    files("main.py", "lib/util.py");

    assertThat(resolve("./**/*.py", "./main.py")).containsExactly("lib/util.py", "main.py");
  }

  // RS-4
  @Test
  void resultsAreSortedAscending() throws IOException {
    files("c.py", "a.py", "b.py");

    assertThat(resolve("./*.py")).containsExactly("a.py", "b.py", "c.py");
  }

  @Test
  void sortingIsByteWiseNotByLocale() throws IOException {
    files("b.py", "B.py", "a.py", "é.py", "_.py");

    assertThat(resolve("./*.py")).containsExactly("B.py", "_.py", "a.py", "b.py", "é.py");
  }

  // RS-5
  @Test
  void doubleStarSkipsHiddenFilesAndDirectories() throws IOException {
    files("main.py", ".env", ".secret/key", "sub/.hidden.py");

    assertThat(resolve("./**")).containsExactly("main.py");
  }

  // RS-6
  @Test
  void explicitHiddenPatternSelectsTheHiddenFile() throws IOException {
    files(".env", "main.py");

    assertThat(resolve("./.env")).containsExactly(".env");
  }

  @Test
  void hiddenDirectoryPatternSelectsItsContent() throws IOException {
    files(".config/a.toml", ".config/sub/b.toml", "main.py");

    assertThat(resolve("./.config/**")).containsExactly(".config/a.toml", ".config/sub/b.toml");
  }

  @Test
  void starMatchesLeadingDotsOnlyWhenThePatternAllowsHiddenPaths() throws IOException {
    files(".env", "main.py");

    assertThat(resolve("./*")).containsExactly("main.py");
    assertThat(resolve("./.*")).containsExactly(".env");
    // The hidden-file allowance belongs to each pattern, not to the whole list.
    assertThat(resolve("./*", "./.nothing")).containsExactly("main.py");
  }

  // RS-7
  @Test
  void traversalPatternIsAnError() throws IOException {
    assertThatThrownBy(() -> resolve("../../etc/passwd"))
        .isInstanceOf(SourceGlobException.class)
        .hasMessage("source pattern \"../../etc/passwd\" escapes the project root");
  }

  // RS-8
  @Test
  void patternMatchingNothingGivesEmptyResult() throws IOException {
    files("main.py");

    assertThat(resolve("./**/*.rb")).isEmpty();
  }

  // RS-9
  @Test
  void symlinkInsideTheProjectIsSelected() throws IOException {
    files("lib/util.py");
    Files.createSymbolicLink(dir.resolve("link.py"), Path.of("lib/util.py"));

    assertThat(resolve("./*.py")).containsExactly("link.py");
  }

  @Test
  void absoluteSymlinkToAFileInsideIsSelected() throws IOException {
    files("lib/util.py");
    Files.createSymbolicLink(dir.resolve("link.py"), dir.resolve("lib/util.py").toAbsolutePath());

    assertThat(resolve("./*.py")).containsExactly("link.py");
  }

  // RS-10
  @Test
  void symlinkPointingOutsideIsAnError() throws IOException {
    Path outside = Files.writeString(elsewhere.resolve("secret.py"), "x");
    Files.createSymbolicLink(dir.resolve("escape.py"), outside);

    assertThatThrownBy(() -> resolve("./*.py"))
        .isInstanceOf(SourceGlobException.class)
        .hasMessage("symlink \"escape.py\" points outside the project root");
  }

  @Test
  void relativeSymlinkClimbingOutIsAnError() throws IOException {
    Files.writeString(elsewhere.resolve("x.py"), "x");
    Files.createSymbolicLink(
        dir.resolve("up.py"), Path.of("..").resolve(elsewhere.getFileName()).resolve("x.py"));

    assertThatThrownBy(() -> resolve("./**")).isInstanceOf(SourceGlobException.class);
  }

  @Test
  void unselectedEscapingSymlinkIsIgnored() throws IOException {
    files("main.py");
    Files.createSymbolicLink(dir.resolve("escape.txt"), elsewhere);

    assertThat(resolve("./*.py")).containsExactly("main.py");
  }

  @Test
  void danglingSymlinkIsAnError() throws IOException {
    Files.createSymbolicLink(dir.resolve("gone.py"), Path.of("missing.py"));

    assertThatThrownBy(() -> resolve("./*.py")).hasMessageContaining("\"gone.py\"");
  }

  @Test
  void symlinkedDirectoryIsSelectedAsALinkAndNotDescended() throws IOException {
    files("real/a.py");
    Files.createSymbolicLink(dir.resolve("alias"), Path.of("real"));

    assertThat(resolve("./**")).containsExactly("alias", "real/a.py");
  }

  @Test
  void symlinkLoopDoesNotHang() throws IOException {
    files("a/x.py");
    Files.createSymbolicLink(dir.resolve("a/loop"), Path.of(".."));

    assertThat(resolve("./**/*.py")).containsExactly("a/x.py");
  }

  // RS-11
  @Test
  void emptyPatternListSelectsNothing() throws IOException {
    files("main.py");

    assertThat(resolve()).isEmpty();
  }

  @Test
  void towerfileWithoutSourceUsesTheDefaultDoubleStar() throws IOException {
    files("main.py", "lib/x.py", ".env");
    Towerfile tf = TowerfileParser.parse("[app]\nname = \"my-app\"\nscript = \"main.py\"\n");

    assertThat(SourceGlobs.resolve(dir, tf)).containsExactly("lib/x.py", "main.py");
  }

  @Test
  void towerfileSourcePatternsAreUsedWhenPresent() throws IOException {
    files("main.py", "lib/x.py");
    Towerfile tf =
        TowerfileParser.parse(
            "[app]\nname = \"my-app\"\nscript = \"main.py\"\nsource = [\"./main.py\"]\n");

    assertThat(SourceGlobs.resolve(dir, tf)).containsExactly("main.py");
  }

  @Test
  void doubleStarSlashMatchesTopLevelFiles() throws IOException {
    files("main.py", "a/b/c/deep.py");

    assertThat(resolve("./**/*.py")).containsExactly("a/b/c/deep.py", "main.py");
  }

  @Test
  void doubleStarInTheMiddleMatchesZeroOrMoreDirectories() throws IOException {
    files("src/main.py", "src/a/b/x.py", "other/y.py");

    assertThat(resolve("src/**/*.py")).containsExactly("src/a/b/x.py", "src/main.py");
  }

  @Test
  void leadingDotSlashBareAndRootedPatternsAreEquivalent() throws IOException {
    files("main.py");

    assertThat(resolve("./main.py")).containsExactly("main.py");
    assertThat(resolve("main.py")).containsExactly("main.py");
    assertThat(resolve("/main.py")).containsExactly("main.py");
  }

  @Test
  void singleStarStaysWithinOneSegment() throws IOException {
    files("main.py", "lib/util.py");

    assertThat(resolve("./*.py")).containsExactly("main.py");
    assertThat(resolve("*/*.py")).containsExactly("lib/util.py");
  }

  @Test
  void questionMarkMatchesOneCharacter() throws IOException {
    files("a1.py", "a22.py", "é.py");

    assertThat(resolve("a?.py")).containsExactly("a1.py");
    assertThat(resolve("?.py")).containsExactly("é.py");
  }

  @Test
  void characterClassesAndNegationWork() throws IOException {
    files("a1.py", "a2.py", "ab.py");

    assertThat(resolve("a[0-9].py")).containsExactly("a1.py", "a2.py");
    assertThat(resolve("a[!0-9].py")).containsExactly("ab.py");
    assertThat(resolve("a[^12].py")).containsExactly("ab.py");
  }

  @Test
  void braceAlternativesWorkAcrossSegments() throws IOException {
    files("main.py", "run.sh", "lib/x.txt", "README.md");

    assertThat(resolve("./{*.py,*.sh,lib/*.txt}"))
        .containsExactly("lib/x.txt", "main.py", "run.sh");
  }

  @Test
  void nestedBracesExpand() throws IOException {
    files("a.py", "b.py", "c.sh");

    assertThat(resolve("{a.{py,sh},c.{py,sh}}")).containsExactly("a.py", "c.sh");
  }

  @Test
  void backslashEscapesAGlobCharacter() throws IOException {
    files("a*.py", "ab.py");

    assertThat(resolve("a\\*.py")).containsExactly("a*.py");
  }

  @Test
  void matchingIsCaseSensitive() throws IOException {
    files("Main.py", "main.PY");

    assertThat(resolve("*.py")).containsExactly("Main.py");
  }

  @Test
  void patternNamingADirectorySelectsNothing() throws IOException {
    files("lib/x.py");

    assertThat(resolve("./lib")).isEmpty();
    assertThat(resolve("./lib/**")).containsExactly("lib/x.py");
  }

  @Test
  void malformedPatternIsAnError() {
    assertThatThrownBy(() -> resolve("a[.py"))
        .isInstanceOf(SourceGlobException.class)
        .hasMessageContaining("is not a valid glob");
    assertThatThrownBy(() -> resolve("{a,b"))
        .isInstanceOf(SourceGlobException.class)
        .hasMessageContaining("is not a valid glob");
  }

  @Test
  void braceExplosionIsBounded() {
    String pattern = "{a,b}".repeat(12);

    assertThatThrownBy(() -> resolve(pattern)).hasMessageContaining("alternatives");
  }

  @Test
  void pathologicalStarPatternStaysFast() throws IOException {
    files("a".repeat(200));

    long start = System.nanoTime();
    assertThat(resolve("*a*a*a*a*a*a*a*a*a*a*a*a*b")).isEmpty();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }
}
