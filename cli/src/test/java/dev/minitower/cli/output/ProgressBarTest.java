package dev.minitower.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The upload progress bar: redrawn in place on a terminal, one finished line otherwise. */
class ProgressBarTest {
  final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);

  @Test
  void interactiveBarRedrawsOnPercentChangesAndEndsWithNewline() {
    ProgressBar bar = new ProgressBar(err, "Uploading", 2048, true);

    bar.advance(1024);
    bar.advance(1);
    bar.advance(1023);
    bar.finish();

    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out.split("\r", -1)).as("50%, 100%, finish; no redraw within 50%").hasSize(4);
    assertThat(out)
        .contains("\rUploading [###############---------------]  50% 1.0 KiB/2.0 KiB")
        .endsWith("\rUploading [##############################] 100% 2.0 KiB/2.0 KiB\n");
  }

  @Test
  void nonInteractiveBarPrintsOnlyTheFinishedLine() {
    ProgressBar bar = new ProgressBar(err, "Uploading", 100, false);

    bar.advance(50);
    bar.advance(50);
    bar.finish();
    bar.finish();

    assertThat(buf.toString(StandardCharsets.UTF_8))
        .isEqualTo("Uploading [##############################] 100% 100 B/100 B\n");
  }

  @Test
  void humanSizes() {
    assertThat(ProgressBar.human(1023)).isEqualTo("1023 B");
    assertThat(ProgressBar.human(1536)).isEqualTo("1.5 KiB");
    assertThat(ProgressBar.human(5L * 1024 * 1024)).isEqualTo("5.0 MiB");
  }
}
