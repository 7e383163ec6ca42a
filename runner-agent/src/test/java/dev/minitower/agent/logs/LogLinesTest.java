package dev.minitower.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.model.runner.LogEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  static List<String> split(byte[] bytes) throws IOException {
    List<String> lines = new ArrayList<>();
    LogLines.split(new ByteArrayInputStream(bytes), lines::add);
    return lines;
  }

  static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void splitsOnNewlinesDropsCarriageReturnsAndKeepsALastUnterminatedLine() throws IOException {
    assertThat(split("a\nb\r\n\nc".getBytes(StandardCharsets.UTF_8)))
        .containsExactly("a", "b", "", "c");
  }

  @Test
  void lineAtTheLimitIsKeptWhole() {
    String exact = "x".repeat(LogEntry.MAX_LINE_BYTES);
    assertThat(LogLines.cap(exact, false)).isEqualTo(exact);
  }

  @Test
  void overLongLineIsCutOnACodePointBoundaryWithTheMarkerInsideTheLimit() {
    String emoji = "😀".repeat(3000); // 4 bytes each, 12000 bytes
    String capped = LogLines.cap(emoji, false);
    assertThat(bytes(capped)).isLessThanOrEqualTo(LogEntry.MAX_LINE_BYTES);
    assertThat(capped).endsWith(LogLines.MARKER);
    String body = capped.substring(0, capped.length() - LogLines.MARKER.length());
    assertThat(body.replace("😀", "")).isEmpty();
    assertThat(bytes(body)).isGreaterThan(LogEntry.MAX_LINE_BYTES - 4 - bytes(LogLines.MARKER));
  }

  @Test
  void hugeLineIsNotBufferedWholeAndArrivesTruncated() throws IOException {
    byte[] big = new byte[5_000_000];
    java.util.Arrays.fill(big, (byte) 'z');
    byte[] input = new byte[big.length + 6];
    System.arraycopy(big, 0, input, 0, big.length);
    System.arraycopy("\nnext\n".getBytes(StandardCharsets.UTF_8), 0, input, big.length, 6);
    List<String> lines = split(input);
    assertThat(lines).hasSize(2);
    assertThat(bytes(lines.get(0))).isLessThanOrEqualTo(LogEntry.MAX_LINE_BYTES);
    assertThat(lines.get(0)).startsWith("zzz").endsWith(LogLines.MARKER);
    assertThat(lines.get(1)).isEqualTo("next");
  }

  @Test
  void invalidUtf8BecomesReplacementCharactersThatStillFit() throws IOException {
    byte[] invalid = new byte[9000];
    java.util.Arrays.fill(invalid, (byte) 0xff);
    List<String> lines = split(invalid);
    assertThat(bytes(lines.get(0))).isLessThanOrEqualTo(LogEntry.MAX_LINE_BYTES);
    assertThat(lines.get(0)).startsWith("\uFFFD").endsWith(LogLines.MARKER);
  }

  @Test
  void utf8LengthCountsSurrogatePairsAsFourBytes() {
    assertThat(LogLines.utf8Length("aé✓😀")).isEqualTo(1 + 2 + 3 + 4);
  }
}
