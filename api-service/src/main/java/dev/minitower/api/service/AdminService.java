package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.model.api.Views;
import dev.minitower.store.runners.RunnerQueries;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The admin runner list. A team admin sees the platform runners and the team's own runners, never
 * another team's (gap 3).
 */
@ApplicationScoped
public class AdminService {
  static final int MAX_RUNNERS = 1000;

  private final RunnerQueries runners;

  public AdminService(RunnerQueries runners) {
    this.runners = runners;
  }

  public Views.RunnerList runners(Caller caller) {
    caller.requireAdmin();
    return new Views.RunnerList(
        runners.visibleTo(caller.teamId(), MAX_RUNNERS).stream()
            .map(
                r ->
                    new Views.RunnerView(
                        r.id(),
                        r.name(),
                        r.environment(),
                        r.status(),
                        TokenService.format(r.lastSeenAt()),
                        r.teamScoped() ? "team" : "platform"))
            .toList());
  }
}
