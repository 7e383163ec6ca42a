package dev.minitower.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.minitower.agent.fake.FakeRun;
import dev.minitower.model.runner.ResultRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against a server that offers the batch lease, each result asks for the slot's next run and the
 * agent runs the granted one on the same slot (docs/leasing.md); against a server of this repo from
 * before that field, the result is sent again without it and never asks again.
 */
class ResultLeaseTest extends AgentTestSupport {

  private List<FakeRun> threeRuns() throws Exception {
    Path app = project("quick", "run.sh", "echo done\n");
    byte[] artifact = pack(app);
    List<FakeRun> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(server.enqueue(FakeRun.builder(artifact, "run.sh")));
    }
    return runs;
  }

  @Test
  void aBusySlotGoesOnWithTheRunGrantedWithItsResult() throws Exception {
    server.batchLease(true, true);
    List<FakeRun> runs = threeRuns();
    startAgent(c -> c.withConcurrency(1));

    for (FakeRun run : runs) {
      assertThat(awaitResult(run).status()).isEqualTo("completed");
    }
    // One lease call for the first run; the two others came with the results before them.
    assertThat(server.batchLeaseCalls.get()).isLessThanOrEqualTo(2);
    assertThat(agentLog().split("next run granted with the result", -1)).hasSize(3);
    for (FakeRun run : runs) {
      // Every result asked for one started run (the agent was not draining).
      assertThat(run.resultPosts.get(0).next()).isNotNull();
      assertThat(run.resultPosts.get(0).next().max()).isEqualTo(1);
      assertThat(run.resultPosts.get(0).next().start()).isTrue();
    }
  }

  @Test
  void aServerThatRefusesNextGetsTheResultWithoutItAndIsNotAskedAgain() throws Exception {
    server.batchLease(true, false);
    List<FakeRun> runs = threeRuns();
    startAgent(c -> c.withConcurrency(1));

    for (FakeRun run : runs) {
      assertThat(awaitResult(run).status()).isEqualTo("completed");
    }
    // The refused send is not stored; each stored result carries no next.
    for (FakeRun run : runs) {
      assertThat(run.resultPosts).extracting(ResultRequest::next).containsOnlyNulls();
    }
    assertThat(agentLog()).contains("next lease with the result not offered by the server");
    assertThat(agentLog().split("not offered by the server, not asked again", -1)).hasSize(2);
    assertThat(agentLog()).doesNotContain("next run granted with the result");
  }
}
