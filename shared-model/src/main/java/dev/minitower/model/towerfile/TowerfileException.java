package dev.minitower.model.towerfile;

/**
 * A Towerfile that cannot be parsed or breaks a validation rule.
 *
 * <p>{@link #message()} is the server's wording ({@code invalid Towerfile: …}); {@link #detail()}
 * is the same text without that prefix, for clients that add their own (the CLI prints {@code
 * validating Towerfile: <detail>} or {@code parsing Towerfile: <detail>}).
 */
public final class TowerfileException extends RuntimeException {

  /** Error code used by the API for every Towerfile content problem. */
  public static final String CODE = "TOWERFILE_INVALID";

  private static final String PREFIX = "invalid Towerfile: ";

  /** Whether the problem was found while decoding TOML or while applying the rules. */
  public enum Kind {
    PARSE,
    VALIDATION
  }

  private final Kind kind;
  private final String detail;

  private TowerfileException(Kind kind, String detail) {
    super(PREFIX + detail);
    this.kind = kind;
    this.detail = detail;
  }

  /** A TOML decoding problem; the detail becomes {@code parsing towerfile: <parserText>}. */
  public static TowerfileException parse(String parserText) {
    return new TowerfileException(Kind.PARSE, "parsing towerfile: " + parserText);
  }

  /**
   * A broken validation rule; the detail is the rule text of docs/spec/towerfile-and-runner.md
   * §1.3.
   */
  public static TowerfileException rule(String ruleText) {
    return new TowerfileException(Kind.VALIDATION, ruleText);
  }

  public String code() {
    return CODE;
  }

  /** The full server message, e.g. {@code invalid Towerfile: app.name is required}. */
  public String message() {
    return getMessage();
  }

  /** The message without the {@code invalid Towerfile: } prefix. */
  public String detail() {
    return detail;
  }

  public Kind kind() {
    return kind;
  }
}
