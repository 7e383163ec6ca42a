package dev.minitower.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.testsupport.QueueTableSql;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * run-store owns every SQL statement of the queue tables (runs, attempts, logs, runners, outbox);
 * this service's main code only calls it (docs/architecture.md). Its own SQL is on CRUD tables.
 */
class NoQueueTableSqlTest {
  @Test
  void mainCodeHasNoSqlOverTheQueueTables() {
    assertThat(QueueTableSql.in(Path.of("src/main/java"))).isEmpty();
  }
}
