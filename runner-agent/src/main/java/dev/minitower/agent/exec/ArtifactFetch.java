package dev.minitower.agent.exec;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.minitower.agent.client.RunnerClient;
import dev.minitower.agent.lease.LeaseState;
import dev.minitower.agent.logs.LogShipper;
import dev.minitower.agent.observability.AgentLog;
import dev.minitower.model.hash.Sha256;
import dev.minitower.model.runner.LeaseResponse;
import dev.minitower.model.runner.RunnerProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Brings a run's artifact into its workspace: from the runner's cache, else downloaded (bounded,
 * its SHA-256 checked against the server's), then unpacked safely and handed over to the sandbox. A
 * 409/410 on the download loses the lease.
 */
final class ArtifactFetch {
  static final long MAX_ARTIFACT_BYTES = 1L << 30;

  /** What the artifact download told us besides the bytes. */
  record Artifact(String sha256, String entrypoint, List<String> importPaths, Integer timeout) {}

  private final RunnerClient client;
  private final ArtifactCache cache;
  private final ArtifactExtractor extractor;
  private final ProcessLauncher launcher;
  private final AgentLog log;

  ArtifactFetch(
      RunnerClient client,
      ArtifactCache cache,
      ArtifactExtractor extractor,
      ProcessLauncher launcher,
      AgentLog log) {
    this.client = client;
    this.cache = cache;
    this.extractor = extractor;
    this.launcher = launcher;
    this.log = log;
  }

  /** Downloads (or takes from the cache) and unpacks the artifact into {@code ws}. */
  Artifact fetch(LeaseState state, Workspace ws, LogShipper shipper)
      throws SetupFailure, InterruptedException {
    Artifact artifact = download(state, ws, shipper);
    extract(ws, shipper, artifact);
    return artifact;
  }

  private Artifact download(LeaseState state, Workspace ws, LogShipper shipper)
      throws SetupFailure, InterruptedException {
    LeaseResponse lease = state.lease();
    Artifact cached = cache.take(lease, ws.artifact());
    if (cached != null) {
      shipper.stderr("run artifact from the runner's cache (sha256: " + cached.sha256() + ")");
      return cached;
    }
    shipper.stderr("downloading run artifact");
    HttpResponse<InputStream> response;
    try {
      response = client.artifact(lease.runId(), lease.leaseToken());
    } catch (IOException e) {
      throw downloadFailure(e.toString());
    }
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 410 || status == 409) {
        log.warn("stale lease on artifact download", "run_id", lease.runId(), "status", status);
        state.lose("artifact download answered " + status);
        throw downloadFailure("lease lost");
      }
      if (status != 200) {
        byte[] head = body.readNBytes(512);
        throw downloadFailure(
            "download failed: " + status + " " + new String(head, StandardCharsets.UTF_8).strip());
      }
      Runnable abort = () -> closeQuietly(body);
      state.onStop(abort);
      MessageDigest sha = Sha256.newDigest();
      long size;
      try (InputStream in = new DigestInputStream(body, sha);
          OutputStream out = Files.newOutputStream(ws.artifact())) {
        size = copyBounded(in, out);
      } catch (IOException e) {
        throw downloadFailure(e.getMessage());
      } finally {
        state.removeStopListener(abort);
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      String expected =
          response
              .headers()
              .firstValue(RunnerProtocol.ARTIFACT_SHA_HEADER)
              .orElse(lease.artifactSha256());
      if (expected != null && !expected.isBlank() && !expected.strip().equalsIgnoreCase(actual)) {
        throw downloadFailure("sha256 mismatch: expected " + expected.strip() + ", got " + actual);
      }
      log.info("artifact downloaded", "run_id", lease.runId(), "bytes", size, "sha256", actual);
      cache.keep(actual, ws.artifact());
      List<String> importPaths = lease.importPaths();
      if (importPaths == null) {
        importPaths = List.of();
        String header =
            response.headers().firstValue(RunnerProtocol.IMPORT_PATHS_HEADER).orElse(null);
        if (header != null && !header.isBlank()) {
          try {
            importPaths = RunnerClient.JSON.readValue(header, new TypeReference<List<String>>() {});
          } catch (IOException e) {
            warn(lease, shipper, "ignoring unreadable " + RunnerProtocol.IMPORT_PATHS_HEADER);
          }
        }
      }
      Integer timeout = null;
      String timeoutHeader =
          response.headers().firstValue(RunnerProtocol.TIMEOUT_HEADER).orElse(null);
      if (timeoutHeader != null) {
        try {
          timeout = Integer.parseInt(timeoutHeader.strip());
        } catch (NumberFormatException e) {
          warn(lease, shipper, "ignoring unreadable " + RunnerProtocol.TIMEOUT_HEADER);
        }
      }
      String entrypoint =
          response.headers().firstValue(RunnerProtocol.ENTRYPOINT_HEADER).orElse(null);
      return new Artifact(actual, entrypoint, importPaths, timeout);
    } catch (IOException e) {
      throw downloadFailure(e.getMessage());
    }
  }

  private void extract(Workspace ws, LogShipper shipper, Artifact artifact) throws SetupFailure {
    try (InputStream in = Files.newInputStream(ws.artifact())) {
      extractor.extract(in, ws.app());
    } catch (Exception e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new SetupFailure("failed to unpack artifact: " + msg, "artifact unpack failed: " + msg);
    }
    try {
      launcher.sandbox().handOver(ws.root());
    } catch (IOException e) {
      throw new SetupFailure(
          "failed to unpack artifact: cannot prepare the workspace: " + e.getMessage(),
          "artifact unpack failed: cannot prepare the workspace: " + e.getMessage());
    }
    shipper.stderr("artifact unpacked (sha256: " + artifact.sha256() + ")");
    log.info("artifact unpacked", "sha256", artifact.sha256());
  }

  private void warn(LeaseResponse lease, LogShipper shipper, String message) {
    log.warn(message, "run_id", lease.runId());
    shipper.stderr(message);
  }

  private static SetupFailure downloadFailure(String err) {
    return new SetupFailure(
        "failed to download artifact: " + err, "artifact download failed: " + err);
  }

  private static long copyBounded(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > MAX_ARTIFACT_BYTES) {
        throw new IOException("artifact larger than " + MAX_ARTIFACT_BYTES + " bytes");
      }
      out.write(buf, 0, n);
    }
    return total;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // aborting anyway
    }
  }
}
