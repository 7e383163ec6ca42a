package dev.minitower.model.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.minitower.model.towerfile.TowerfileException;
import dev.minitower.model.towerfile.TowerfileParser;
import org.junit.jupiter.api.Test;

class SecretNamesTest {
  @Test
  void environmentVariableNamesAreValid() {
    assertThat(SecretNames.isValid("DB_URL")).isTrue();
    assertThat(SecretNames.isValid("_x1")).isTrue();
    assertThat(SecretNames.isValid("a".repeat(128))).isTrue();
  }

  @Test
  void otherNamesAndReservedOnesAreRefused() {
    for (String bad :
        new String[] {
          "",
          "1A",
          "A-B",
          "A B",
          "A=B",
          "a".repeat(129),
          "PATH",
          "home",
          "MINITOWER_X",
          "minitower_runner_token",
          "LD_PRELOAD",
          "PYTHONPATH",
          "PIP_INDEX_URL",
          "LC_ALL",
          "BASH_ENV",
          "\u00e9T\u00e9"
        }) {
      assertThat(SecretNames.violation(bad)).as(bad).isPresent();
    }
  }

  @Test
  void towerfileSecretsAreParsedStrictly() {
    String base = "[app]\nname = \"my-app\"\nscript = \"run.sh\"\n";
    assertThat(TowerfileParser.parse(base).secrets()).isEmpty();
    assertThat(TowerfileParser.parse(base + "secrets = [\"DB_URL\", \"API_KEY\"]\n").secrets())
        .containsExactly("DB_URL", "API_KEY");
    assertThatThrownBy(() -> TowerfileParser.parse(base + "secrets = [\"PATH\"]\n"))
        .isInstanceOf(TowerfileException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> TowerfileParser.parse(base + "secrets = [\"A\", \"A\"]\n"))
        .hasMessageContaining("duplicate secret name");
    assertThatThrownBy(() -> TowerfileParser.parse(base + "secrets = \"DB_URL\"\n"))
        .hasMessageContaining("app.secrets");
    assertThatThrownBy(() -> TowerfileParser.parse(base + "secrets = [1]\n"))
        .hasMessageContaining("app.secrets[0]");
    StringBuilder many = new StringBuilder(base + "secrets = [");
    for (int i = 0; i <= SecretNames.MAX_PER_VERSION; i++) {
      many.append(i == 0 ? "" : ",").append("\"S").append(i).append('"');
    }
    assertThatThrownBy(() -> TowerfileParser.parse(many + "]\n"))
        .hasMessageContaining("at most " + SecretNames.MAX_PER_VERSION);
  }
}
