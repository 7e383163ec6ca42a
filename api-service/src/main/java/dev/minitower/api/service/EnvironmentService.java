package dev.minitower.api.service;

import dev.minitower.api.auth.Caller;
import dev.minitower.api.store.EnvironmentStore;
import dev.minitower.model.api.Views;
import dev.minitower.model.run.EnvironmentNames;
import dev.minitower.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** A team's environments (gap 21): runs target one by name, runners serve one by label. */
@ApplicationScoped
public class EnvironmentService {
  private final EnvironmentStore store;

  public EnvironmentService(EnvironmentStore store) {
    this.store = store;
  }

  @Transactional
  public Views.EnvironmentList list(Caller caller) {
    store.ensureDefault(caller.teamId());
    return new Views.EnvironmentList(
        store.list(caller.teamId()).stream().map(EnvironmentService::view).toList());
  }

  @Transactional
  public Views.EnvironmentView create(Caller caller, String name) {
    requireValidName(name);
    if (EnvironmentStore.DEFAULT.equals(name)) {
      store.ensureDefault(caller.teamId());
      throw new ApiException(409, "conflict", "environment already exists");
    }
    return view(
        store
            .insert(caller.teamId(), name)
            .orElseThrow(() -> new ApiException(409, "conflict", "environment already exists")));
  }

  static void requireValidName(String name) {
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("environment name is required");
    }
    if (!EnvironmentNames.isValid(name)) {
      throw ApiException.badRequest("environment name " + EnvironmentNames.RULE);
    }
  }

  static Views.EnvironmentView view(EnvironmentStore.Environment e) {
    return new Views.EnvironmentView(
        e.id(), e.name(), e.isDefault(), TokenService.format(e.createdAt()));
  }
}
