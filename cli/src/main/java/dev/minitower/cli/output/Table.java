package dev.minitower.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Space-aligned text table: each column as wide as its widest cell plus two spaces of padding, the
 * last column unpadded (no trailing blanks), as the original's tabwriter output. A {@code null}
 * cell (value absent on the server) prints as {@code -}.
 */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  public Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("expected " + header.size() + " cells");
    }
    rows.add(Arrays.stream(cells).map(Table::cell).toList());
    return this;
  }

  private static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    return TerminalText.escape(value.toString().replace('\n', ' ').replace('\t', ' '));
  }

  public void print(PrintStream out) {
    out.print(render());
  }

  public String render() {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> r : all) {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> r : all) {
      for (int i = 0; i < r.size(); i++) {
        String c = r.get(i);
        sb.append(c);
        if (i < r.size() - 1) {
          sb.append(" ".repeat(widths[i] - c.length() + 2));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
