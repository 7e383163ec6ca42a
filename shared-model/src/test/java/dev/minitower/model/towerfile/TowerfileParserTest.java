package dev.minitower.model.towerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TowerfileParserTest {

  static final String FULL_EXAMPLE =
      """
      [app]
      name = "my-etl-pipeline"
      script = "./pipeline.py"
      source = ["./**/*.py", "./requirements.txt"]
      import_paths = ["./lib"]

      [app.timeout]
      seconds = 120

      [[parameters]]
      name = "region"
      type = "string"
      default = "us-east-1"

      [[parameters]]
      name = "batch_size"
      type = "integer"
      default = 100
      """;

  static final String TOO_DEEP =
      "invalid Towerfile: parsing towerfile: document nesting exceeds the maximum of 64 levels";

  static String app(String name, String script) {
    return "[app]\nname = \"" + name + "\"\nscript = \"" + script + "\"\n";
  }

  static String minimal() {
    return app("my-app", "main.py");
  }

  static TowerfileException failure(String toml) {
    try {
      TowerfileParser.parse(toml);
    } catch (TowerfileException e) {
      return e;
    }
    throw new AssertionError("expected a TowerfileException for:\n" + toml);
  }

  static String rule(String toml) {
    TowerfileException e = failure(toml);
    assertThat(e.kind()).isEqualTo(TowerfileException.Kind.VALIDATION);
    assertThat(e.message()).isEqualTo("invalid Towerfile: " + e.detail());
    return e.detail();
  }

  static String parseError(String toml) {
    TowerfileException e = failure(toml);
    assertThat(e.kind()).isEqualTo(TowerfileException.Kind.PARSE);
    assertThat(e.detail()).startsWith("parsing towerfile: ");
    return e.message();
  }

  // TF-1
  @Test
  void fullExampleYieldsEveryValue() {
    Towerfile tf = TowerfileParser.parse(FULL_EXAMPLE);

    assertThat(tf.appName()).isEqualTo("my-etl-pipeline");
    assertThat(tf.script()).isEqualTo("./pipeline.py");
    assertThat(tf.source()).containsExactly("./**/*.py", "./requirements.txt");
    assertThat(tf.importPaths()).containsExactly("./lib");
    assertThat(tf.timeoutSeconds()).isEqualTo(120);
    assertThat(tf.parameters()).hasSize(2);
    assertThat(tf.parameters().get(0).name()).isEqualTo("region");
    assertThat(tf.parameters().get(0).type()).isEqualTo("string");
    assertThat(tf.parameters().get(0).defaultValue().textValue()).isEqualTo("us-east-1");
    assertThat(tf.parameters().get(1).name()).isEqualTo("batch_size");
    assertThat(tf.parameters().get(1).type()).isEqualTo("integer");
    assertThat(tf.parameters().get(1).defaultValue().isIntegralNumber()).isTrue();
    assertThat(tf.parameters().get(1).defaultValue().longValue()).isEqualTo(100);
    assertThat(tf.rawToml()).isEqualTo(FULL_EXAMPLE);
  }

  // TF-2
  @Test
  void minimalTowerfileHasNoTimeoutNoSourceNoParameters() {
    Towerfile tf = TowerfileParser.parse(minimal());

    assertThat(tf.timeoutSeconds()).isNull();
    assertThat(tf.source()).isEmpty();
    assertThat(tf.importPaths()).isEmpty();
    assertThat(tf.parameters()).isEmpty();
  }

  // TF-3
  @Test
  void shellScriptIsValid() {
    assertThat(TowerfileParser.parse(app("my-app", "run.sh")).script()).isEqualTo("run.sh");
  }

  @Test
  void scriptExtensionIsCaseInsensitive() {
    assertThat(TowerfileParser.parse(app("my-app", "MAIN.PY")).script()).isEqualTo("MAIN.PY");
  }

  // TF-4
  @Test
  void invalidTomlIsAParseError() {
    String message = parseError("this is not valid toml [[[");
    assertThat(message).startsWith("invalid Towerfile: parsing towerfile: ");
  }

  @Test
  void parseErrorNamesLineAndColumn() {
    assertThat(parseError("[app]\nname = \"x\"\nscript = ")).contains("line 3");
  }

  @Test
  void duplicateKeyIsAParseError() {
    parseError("[app]\nname = \"my-app\"\nname = \"other\"\nscript = \"main.py\"\n");
  }

  // TF-5
  @Test
  void missingNameIsRejected() {
    assertThat(rule("[app]\nscript = \"main.py\"\n")).isEqualTo("app.name is required");
  }

  @Test
  void emptyFileIsMissingName() {
    assertThat(rule("")).isEqualTo("app.name is required");
  }

  // TF-6
  @Test
  void missingScriptIsRejected() {
    assertThat(rule("[app]\nname = \"my-app\"\n")).isEqualTo("app.script is required");
  }

  // TF-7
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ab|app.name: slug must be at least 3 characters",
        "1app|app.name: slug must start with a letter and contain only lowercase letters, numbers, and hyphens",
        "MyApp|app.name: slug must start with a letter and contain only lowercase letters, numbers, and hyphens",
        "admin|app.name: slug is reserved",
        "abcdefghijklmnopqrstuvwxyz0123456|app.name: slug must be at most 32 characters",
      })
  void nameMustBeASlug(String name, String expected) {
    assertThat(rule(app(name, "main.py"))).isEqualTo(expected);
  }

  @Test
  void nameRuleComesBeforeScriptRule() {
    assertThat(rule("[app]\nname = \"ab\"\n"))
        .isEqualTo("app.name: slug must be at least 3 characters");
  }

  // TF-8
  @Test
  void rubyScriptIsRejectedWithItsExtension() {
    assertThat(rule(app("my-app", "main.rb")))
        .isEqualTo("app.script must end in .py or .sh, got \".rb\"");
  }

  @Test
  void scriptWithoutExtensionReportsEmptyExtension() {
    assertThat(rule(app("my-app", "dir.d/main")))
        .isEqualTo("app.script must end in .py or .sh, got \"\"");
  }

  @Test
  void extensionIsReportedLowerCased() {
    assertThat(rule(app("my-app", "main.RB")))
        .isEqualTo("app.script must end in .py or .sh, got \".rb\"");
  }

  // TF-9
  @ParameterizedTest
  @ValueSource(strings = {"../escape.py", "a/../../x.py", "..foo.py"})
  void scriptTraversalIsRejected(String script) {
    assertThat(rule(app("my-app", script))).isEqualTo("app.script must not contain path traversal");
  }

  @Test
  void absoluteScriptIsNotTraversal() {
    assertThat(TowerfileParser.parse(app("my-app", "/etc/x.py")).script()).isEqualTo("/etc/x.py");
  }

  @Test
  void extensionRuleComesBeforeTraversalRule() {
    assertThat(rule(app("my-app", "../x.rb"))).startsWith("app.script must end in");
  }

  // TF-10
  @Test
  void sourcePatternTraversalIsRejected() {
    assertThat(rule(minimal() + "source = [\"./*.py\", \"../../etc/passwd\"]\n"))
        .isEqualTo("source pattern \"../../etc/passwd\" must not escape the project root");
  }

  // TF-11
  @Test
  void importPathTraversalIsRejected() {
    assertThat(rule(minimal() + "import_paths = [\"../outside\"]\n"))
        .isEqualTo("import_paths entry \"../outside\" must not escape the project root");
  }

  @Test
  void sourceRuleComesBeforeImportPathRule() {
    assertThat(rule(minimal() + "source = [\"../a\"]\nimport_paths = [\"../b\"]\n"))
        .startsWith("source pattern \"../a\"");
  }

  @Test
  void quotedValuesAreEscapedLikeGo() {
    assertThat(rule(minimal() + "source = [\"../a\\\"b\\n\"]\n"))
        .isEqualTo("source pattern \"../a\\\"b\\n\" must not escape the project root");
  }

  // TF-12 / TF-13
  @ParameterizedTest
  @ValueSource(ints = {0, -5})
  void timeoutBelowOneIsRejected(int seconds) {
    assertThat(rule(minimal() + "[app.timeout]\nseconds = " + seconds + "\n"))
        .isEqualTo("app.timeout.seconds must be >= 1, got " + seconds);
  }

  @Test
  void timeoutTableWithoutSecondsMeansZero() {
    assertThat(rule(minimal() + "[app.timeout]\n"))
        .isEqualTo("app.timeout.seconds must be >= 1, got 0");
  }

  @Test
  void timeoutAboveIntegerRangeIsRejected() {
    assertThat(rule(minimal() + "[app.timeout]\nseconds = 9999999999\n"))
        .isEqualTo("app.timeout.seconds must be <= 2147483647, got 9999999999");
  }

  @Test
  void largeTimeoutWithinIntegerRangeIsAccepted() {
    assertThat(
            TowerfileParser.parse(minimal() + "[app.timeout]\nseconds = 86400\n").timeoutSeconds())
        .isEqualTo(86400);
  }

  // TF-14
  @Test
  void duplicateParameterNamesAreRejected() {
    String toml =
        minimal() + "[[parameters]]\nname = \"region\"\n[[parameters]]\nname = \"region\"\n";
    assertThat(rule(toml)).isEqualTo("duplicate parameter name \"region\"");
  }

  // TF-15
  @Test
  void emptyParameterNameIsRejectedWithItsIndex() {
    String toml = minimal() + "[[parameters]]\nname = \"a\"\n[[parameters]]\nname = \"\"\n";
    assertThat(rule(toml)).isEqualTo("parameters[1].name is required");
  }

  @Test
  void absentParameterNameIsRejected() {
    assertThat(rule(minimal() + "[[parameters]]\ntype = \"string\"\n"))
        .isEqualTo("parameters[0].name is required");
  }

  // TF-16
  @Test
  void unknownParameterTypeIsRejected() {
    assertThat(rule(minimal() + "[[parameters]]\nname = \"x\"\ntype = \"float\"\n"))
        .isEqualTo(
            "parameters[0].type must be one of string, number, integer, boolean; got \"float\"");
  }

  @Test
  void parameterRulesApplyPerParameterInOrder() {
    String toml =
        minimal()
            + "[[parameters]]\nname = \"a\"\ntype = \"float\"\n"
            + "[[parameters]]\nname = \"\"\n";
    assertThat(rule(toml)).startsWith("parameters[0].type must be one of");
  }

  // TF-17
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "string|\"hello\"|",
        "string|42|parameters[0].default must be a string, got int64",
        "integer|42|",
        "integer|\"hello\"|parameters[0].default must be a integer, got string",
        "integer|4.5|parameters[0].default must be a integer, got float64",
        "number|42|",
        "number|3.14|",
        "number|\"hello\"|parameters[0].default must be a number, got string",
        "boolean|true|",
        "boolean|1|parameters[0].default must be a boolean, got int64",
        "string|false|parameters[0].default must be a string, got bool",
        "string|[1, 2]|parameters[0].default must be a string, got []interface {}",
        "string|{ a = 1 }|parameters[0].default must be a string, got map[string]interface {}",
        "string|1979-05-27T07:32:00Z|parameters[0].default must be a string, got time.Time",
      })
  void defaultMustFitType(String type, String value, String expected) {
    String toml =
        minimal()
            + "[[parameters]]\nname = \"p\"\ntype = \""
            + type
            + "\"\ndefault = "
            + value
            + "\n";
    if (expected == null) {
      assertThat(TowerfileParser.parse(toml).parameters().get(0).defaultValue()).isNotNull();
    } else {
      assertThat(rule(toml)).isEqualTo(expected);
    }
  }

  @Test
  void numberDefaultsKeepIntegerOrFloatNature() {
    Towerfile tf =
        TowerfileParser.parse(
            minimal()
                + "[[parameters]]\nname = \"i\"\ntype = \"number\"\ndefault = 42\n"
                + "[[parameters]]\nname = \"f\"\ntype = \"number\"\ndefault = 1.5\n");
    assertThat(tf.parameters().get(0).defaultValue().isIntegralNumber()).isTrue();
    assertThat(tf.parameters().get(1).defaultValue().isDouble()).isTrue();
    assertThat(tf.parameters().get(1).defaultValue().doubleValue()).isEqualTo(1.5);
  }

  @Test
  void infiniteNumberDefaultIsRejected() {
    assertThat(rule(minimal() + "[[parameters]]\nname = \"f\"\ntype = \"number\"\ndefault = inf\n"))
        .startsWith("parameters[0].default must be a finite number");
  }

  // TF-18
  @Test
  void parameterWithoutTypeDefaultsToString() {
    Towerfile tf =
        TowerfileParser.parse(minimal() + "[[parameters]]\nname = \"x\"\ndefault = \"hello\"\n");
    assertThat(tf.parameters().get(0).type()).isEqualTo("string");
    assertThat(tf.parameters().get(0).description()).isNull();
  }

  @Test
  void parameterWithoutTypeRejectsNonStringDefault() {
    assertThat(rule(minimal() + "[[parameters]]\nname = \"x\"\ndefault = 1\n"))
        .isEqualTo("parameters[0].default must be a string, got int64");
  }

  // TF-19
  @Test
  void completeValidTowerfileIsAccepted() {
    String toml =
        """
        [app]
        name = "my-app"
        script = "main.py"
        source = ["./**/*.py"]
        import_paths = ["./lib"]

        [app.timeout]
        seconds = 60

        [[parameters]]
        name = "region"
        type = "string"
        description = "AWS region"
        default = "us-east-1"

        [[parameters]]
        name = "count"
        type = "integer"
        default = 10
        """;
    Towerfile tf = TowerfileParser.parse(toml);
    assertThat(tf.timeoutSeconds()).isEqualTo(60);
    assertThat(tf.parameters())
        .extracting(Towerfile.Parameter::name)
        .containsExactly("region", "count");
    assertThat(tf.parameters().get(0).description()).isEqualTo("AWS region");
  }

  @Test
  void parameterNameWithEqualsSignValidates() {
    assertThat(TowerfileParser.parse(minimal() + "[[parameters]]\nname = \"a=b\"\n").parameters())
        .hasSize(1);
  }

  @Test
  void unknownKeysAreIgnored() {
    Towerfile tf =
        TowerfileParser.parse(
            minimal() + "extra = 1\n[other]\nx = \"y\"\n[[parameters]]\nname = \"p\"\nfoo = 2\n");
    assertThat(tf.appName()).isEqualTo("my-app");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\n[app.timeout]\nseconds = \"60\"\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\n[app.timeout]\nseconds = 1.5\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\nsource = \"./*.py\"\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\nsource = [1]\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\nimport_paths = \"lib\"\n",
        "[app]\nname = 5\nscript = \"main.py\"\n",
        "app = \"x\"\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\ntimeout = 5\n",
        "parameters = \"x\"\n[app]\nname = \"my-app\"\nscript = \"main.py\"\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\n[[parameters]]\nname = 1\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\n[[parameters]]\nname = \"a\"\ndescription = true\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\n[[parameters]]\nname = \"a\"\ntype = 1\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\n[app.timeout]\nseconds = 99999999999999999999\n",
        "[app]\nname = \"my-app\"\nscript = \"main.py\"\n[[parameters]]\nname = \"a\"\ntype = \"integer\"\ndefault = 99999999999999999999\n",
      })
  void wrongTomlTypeForAKnownKeyIsAParseError(String toml) {
    parseError(toml);
  }

  @Test
  void wrongTypeParseErrorNamesTheKey() {
    assertThat(parseError(minimal() + "[app.timeout]\nseconds = \"60\"\n"))
        .isEqualTo(
            "invalid Towerfile: parsing towerfile: incompatible types: key \"app.timeout.seconds\""
                + " has TOML type string, expected integer");
  }

  @Test
  void parseErrorsWinOverRuleErrors() {
    parseError("[app]\nscript = \"main.rb\"\nsource = \"x\"\n");
  }

  @Test
  void exceptionCarriesTheTowerfileInvalidCode() {
    assertThat(failure("").code()).isEqualTo("TOWERFILE_INVALID");
  }

  @Test
  void oversizedTowerfileIsRejectedBeforeParsing() {
    String toml = minimal() + "# " + "x".repeat(TowerfileParser.MAX_BYTES) + "\n";
    assertThat(parseError(toml))
        .isEqualTo(
            "invalid Towerfile: parsing towerfile: Towerfile exceeds maximum size of 262144 bytes");
  }

  @Test
  void towerfileOfExactlyTheSizeCapIsParsed() {
    String head = minimal() + "# ";
    String toml = head + "x".repeat(TowerfileParser.MAX_BYTES - head.length() - 1) + "\n";
    assertThat(toml.length()).isEqualTo(TowerfileParser.MAX_BYTES);
    assertThat(TowerfileParser.parse(toml).appName()).isEqualTo("my-app");
  }

  @Test
  @Timeout(10)
  void deeplyNestedArraysFailFastWithAParseError() {
    int depth = 100_000;
    assertThat(parseError(minimal() + "x = " + "[".repeat(depth) + "]".repeat(depth) + "\n"))
        .isEqualTo(TOO_DEEP);
  }

  @Test
  @Timeout(10)
  void deeplyNestedInlineTablesFailFastWithAParseError() {
    int depth = 40_000;
    assertThat(
            parseError(minimal() + "x = " + "{a=".repeat(depth) + "1" + "}".repeat(depth) + "\n"))
        .isEqualTo(TOO_DEEP);
  }

  @Test
  @Timeout(10)
  void deeplyDottedKeysFailFastWithAParseError() {
    assertThat(parseError(minimal() + "[" + "a.".repeat(50_000) + "b]\nx = 1\n"))
        .isEqualTo(
            "invalid Towerfile: parsing towerfile: document nesting exceeds the maximum of 64"
                + " levels");
  }

  @Test
  @Timeout(10)
  void manyParametersUpToTheSizeCapAreHandled() {
    StringBuilder sb = new StringBuilder(minimal());
    int i = 0;
    while (sb.length() < TowerfileParser.MAX_BYTES - 100) {
      sb.append("[[parameters]]\nname = \"p").append(i++).append("\"\n");
    }
    long start = System.nanoTime();
    assertThat(TowerfileParser.parse(sb.toString()).parameters()).hasSize(i);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void hugeStringValueWithinTheCapIsHandled() {
    String toml = minimal() + "extra = \"" + "y".repeat(200_000) + "\"\n";
    assertThat(TowerfileParser.parse(toml).appName()).isEqualTo("my-app");
  }

  @Test
  void extensionFollowsGoFilepathExt() {
    assertThat(TowerfileParser.extension("./main.py")).isEqualTo(".py");
    assertThat(TowerfileParser.extension("a.b/main")).isEmpty();
    assertThat(TowerfileParser.extension(".sh")).isEqualTo(".sh");
    assertThat(TowerfileParser.extension("x.tar.gz")).isEqualTo(".gz");
  }
}
