package dev.minitower.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.QueueTableSql;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The check each service runs on its main code (test-support's {@link QueueTableSql}): it must see
 * run-store's own statements, and must not flag CRUD SQL or prose.
 */
class QueueTableSqlTest {

  @Test
  void findsEveryQueueTableStatementOfRunStore() {
    assertThat(QueueTableSql.in(Path.of("src/main/java")))
        .anyMatch(l -> l.startsWith("dev/minitower/store/runs/RunSql.java: "))
        .anyMatch(l -> l.startsWith("dev/minitower/store/runs/RunQueries.java: "))
        .anyMatch(l -> l.startsWith("dev/minitower/store/runners/RunnerQueries.java: "))
        .anyMatch(l -> l.startsWith("dev/minitower/store/runners/RunnerStore.java: "))
        .anyMatch(l -> l.startsWith("dev/minitower/store/outbox/OutboxStore.java: "))
        .anyMatch(l -> l.startsWith("dev/minitower/store/stats/QueueGauges.java: "))
        .anyMatch(l -> l.startsWith("dev/minitower/store/retention/RetentionStore.java: "));
  }

  @Test
  void findsStatementsSplitOverConcatenatedLiteralsAndTextBlocks() {
    assertThat(QueueTableSql.in("String q = \"SELECT count(*) FROM \"\n + \"runs WHERE x\";"))
        .containsExactly("SELECT count(*) FROM runs WHERE x");
    assertThat(QueueTableSql.in("String q = \"\"\"\n  select 1\n  from   outbox\n  \"\"\";"))
        .hasSize(1);
    assertThat(QueueTableSql.in("q(\"SELECT a FROM teams t, runners r WHERE t.id = ?\");"))
        .hasSize(1);
    assertThat(QueueTableSql.in("q(\"INSERT INTO run_attempt_secrets VALUES (?)\");")).hasSize(1);
    assertThat(QueueTableSql.in("q(\"DELETE FROM run_logs\");")).hasSize(1);
    assertThat(QueueTableSql.in("q(\"UPDATE runners SET status = 'offline'\");")).hasSize(1);
  }

  @Test
  void ignoresCrudSqlProseCommentsAndCode() {
    String source =
        String.join(
            "\n",
            "// SELECT * FROM runs in a comment",
            "/* DELETE FROM outbox */",
            "class X {",
            "  String crud = \"SELECT id FROM apps a JOIN teams t ON t.id = a.team_id\";",
            "  String env = \"SELECT id FROM environments WHERE team_id = ?\";",
            "  String log = \"marked stale runners offline count=%d\";",
            "  String metric = \"minitower.outbox.published\";",
            "  String help = \"Outbox rows not yet published\";",
            "  char q = '\"';",
            "  String runs = \"runs\" + runs.size();",
            "}");
    assertThat(QueueTableSql.in(source)).isEmpty();
  }
}
