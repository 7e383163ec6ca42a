package dev.minitower.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minitower.api.auth.Caller;
import dev.minitower.api.json.JsonValues;
import dev.minitower.api.store.AppStore;
import dev.minitower.api.store.CrudSession;
import dev.minitower.api.store.EnvironmentStore;
import dev.minitower.api.store.RunTargetStore;
import dev.minitower.api.store.VersionStore;
import dev.minitower.model.api.Requests;
import dev.minitower.model.api.Views;
import dev.minitower.model.hash.Sha256;
import dev.minitower.model.run.EnvironmentNames;
import dev.minitower.model.run.RunInputs;
import dev.minitower.platform.error.ApiException;
import dev.minitower.platform.json.JsonBodies;
import dev.minitower.store.runs.RunLifecycle;
import dev.minitower.store.runs.RunMetrics;
import dev.minitower.store.runs.RunQueries;
import dev.minitower.store.runs.RunRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * Creating and cancelling runs. The state changes themselves (and their outbox events) are the
 * shared transitions of run-store; this service resolves what they need, validates the request, and
 * counts metrics once the transaction has committed.
 */
@ApplicationScoped
public class RunService {
  public static final int MIN_PRIORITY = -1000;
  public static final int MAX_PRIORITY = 1000;
  public static final int MAX_RETRIES = 100;
  public static final int MAX_IDEMPOTENCY_KEY = 255;

  private static final ObjectMapper CANONICAL = new ObjectMapper();

  /** A created (201) or replayed (200) run. */
  public record Created(boolean replayed, Views.RunView run) {}

  private final RunTargetStore runTargets;
  private final EnvironmentStore environments;
  private final RunQueries runs;
  private final RunLifecycle transitions;
  private final RunMetrics metrics;
  private final InputSchemas schemas;
  private final JsonBodies json;
  private final TransactionSynchronizationRegistry txRegistry;
  private final CrudSession crud;
  private final RunCreates creates;

  public RunService(
      RunTargetStore runTargets,
      EnvironmentStore environments,
      RunQueries runs,
      RunLifecycle transitions,
      RunMetrics metrics,
      InputSchemas schemas,
      JsonBodies json,
      TransactionSynchronizationRegistry txRegistry,
      CrudSession crud,
      RunCreates creates) {
    this.runTargets = runTargets;
    this.environments = environments;
    this.runs = runs;
    this.transitions = transitions;
    this.metrics = metrics;
    this.schemas = schemas;
    this.json = json;
    this.txRegistry = txRegistry;
    this.crud = crud;
    this.creates = creates;
  }

  /**
   * Creates a run in the original's order of checks: app (404), body (400), version (404/400),
   * input against the version's schema (400); then environment and idempotency.
   *
   * <p>Outside a transaction (a request of the client API), the checks read in auto-commit and the
   * create itself goes to {@link RunCreates}, which commits creates that arrive together in one
   * transaction. Inside the caller's transaction, the create is part of it.
   */
  public Created create(Caller caller, String appSlug, byte[] body, String idempotencyKey) {
    RunRecords.NewRun run = prepare(caller, appSlug, body, idempotencyKey);
    RunRecords.CreatedRun created;
    if (txRegistry.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
      created = creates.create(run).orThrow();
      if (!created.replayed()) {
        metrics.created(caller.teamSlug(), appSlug); // the app was found by this exact slug
      }
    } else {
      crud.flushBeforeRunStore();
      created = transitions.create(run);
      if (!created.replayed()) {
        afterCommit(() -> metrics.created(caller.teamSlug(), appSlug));
      }
    }
    // A new run comes back from its insert; a replay answers the run that took the key.
    RunQueries.RunRow row =
        created.view() != null
            ? created.view()
            : runs.find(caller.teamId(), created.runId()).orElseThrow();
    return new Created(created.replayed(), ViewMapper.run(row, false));
  }

  /** The checks, in the original's order; the run to create when they pass. */
  private RunRecords.NewRun prepare(
      Caller caller, String appSlug, byte[] body, String idempotencyKey) {
    // The body is read first so that app, version and environment come in one statement
    // (RunTargetStore); its errors are still answered after the app's 404, as in the original.
    Requests.CreateRun req = null;
    ApiException badBody = null;
    try {
      req =
          JsonBodies.isBlank(body)
              ? new Requests.CreateRun(null, null, null, null, null, null)
              : json.read(body, Requests.CreateRun.class, "malformed JSON body");
    } catch (ApiException e) {
      badBody = e;
    }
    String envName =
        req == null || req.environment() == null ? EnvironmentStore.DEFAULT : req.environment();
    RunTargetStore.Targets targets =
        runTargets.find(
            caller.teamId(),
            appSlug,
            req == null ? null : req.versionNo(),
            EnvironmentNames.isValid(envName) ? envName : null);
    AppStore.App app = targets.app().orElseThrow(() -> ApiException.notFound("app not found"));
    if (badBody != null) {
      throw badBody;
    }
    JsonNode input = req.input();
    if (input != null && input.isNull()) {
      input = null;
    }
    if (input != null && !input.isObject()) {
      throw ApiException.badRequest("malformed JSON body: input must be an object");
    }
    JsonBodies.requireFinite(input, "malformed JSON body");
    RunInputs.sizeViolation(input)
        .ifPresent(
            msg -> {
              throw ApiException.badRequest(msg);
            });
    int priority = bounded(req.priority(), 0, MIN_PRIORITY, MAX_PRIORITY, "priority");
    int maxRetries = bounded(req.maxRetries(), 0, 0, MAX_RETRIES, "max_retries");
    boolean retryOnFailure = Boolean.TRUE.equals(req.retryOnFailure());
    String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey;
    if (key != null && key.length() > MAX_IDEMPOTENCY_KEY) {
      throw ApiException.badRequest(
          "Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY + " characters");
    }

    boolean versionAskedFor = req.versionNo() != null;
    VersionStore.Version version =
        targets
            .version()
            .orElseThrow(
                () ->
                    versionAskedFor
                        ? ApiException.notFound("version not found")
                        : new ApiException(400, "no_version", "app has no versions"));
    if (version.paramsSchema() != null) {
      JsonNode effective = input == null ? JsonNodeFactory.instance.objectNode() : input;
      schemas
          .violation(version.paramsSchema(), effective)
          .ifPresent(
              msg -> {
                throw ApiException.badRequest("input does not match schema: " + msg);
              });
    }

    EnvironmentService.requireValidName(envName);
    EnvironmentStore.Environment env =
        targets
            .environment()
            .orElseGet(
                () ->
                    EnvironmentStore.DEFAULT.equals(envName)
                        ? QuarkusTransaction.joiningExisting()
                            .call(() -> environments.ensureDefault(caller.teamId()))
                        : null);
    if (env == null) {
      throw ApiException.notFound("environment not found");
    }

    String inputJson = input == null ? null : write(JsonValues.sortedKeys(input));
    String requestHash =
        key == null
            ? null
            : requestHash(req.versionNo(), input, priority, maxRetries, envName, retryOnFailure);
    return new RunRecords.NewRun(
        caller.teamId(),
        app.id(),
        version.id(),
        env.id(),
        env.name(),
        inputJson,
        priority,
        maxRetries,
        retryOnFailure,
        key,
        requestHash,
        null);
  }

  /** Cancels a run (idempotent, never 409): see run-store's {@code RunLifecycle.cancel}. */
  @Transactional
  public Views.RunView cancel(Caller caller, long runId) {
    crud.flushBeforeRunStore();
    Optional<RunRecords.RunEnded> ended = transitions.cancel(caller.teamId(), runId);
    ended.ifPresent(e -> afterCommit(() -> metrics.ended(e)));
    RunQueries.RunRow row =
        runs.find(caller.teamId(), runId).orElseThrow(() -> ApiException.notFound("run not found"));
    return ViewMapper.run(row, false);
  }

  private static int bounded(Long value, int fallback, int min, int max, String name) {
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw ApiException.badRequest(name + " must be between " + min + " and " + max);
    }
    return value.intValue();
  }

  /** The digest of what the request asks for, independent of whitespace and key order. */
  static String requestHash(
      Long versionNo,
      JsonNode input,
      int priority,
      int maxRetries,
      String environment,
      boolean retryOnFailure) {
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.put("environment", environment);
    canonical.set("input", input == null ? null : JsonValues.sortedKeys(input));
    canonical.put("max_retries", maxRetries);
    canonical.put("priority", priority);
    canonical.put("retry_on_failure", retryOnFailure);
    if (versionNo == null) {
      canonical.putNull("version_no");
    } else {
      canonical.put("version_no", versionNo);
    }
    return Sha256.hex(write(canonical));
  }

  private static String write(JsonNode node) {
    try {
      return CANONICAL.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void afterCommit(Runnable action) {
    txRegistry.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              action.run();
            }
          }
        });
  }
}
