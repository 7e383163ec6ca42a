package dev.minitower.system.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A team on api-service: bootstrap or signup, apps, versions (multipart), runs. */
public final class Api {
  public final String base;
  public final String token;
  public final long teamId;
  public final String slug;

  public Api(String base, String token, long teamId, String slug) {
    this.base = base;
    this.token = token;
    this.teamId = teamId;
    this.slug = slug;
  }

  /** The first team of a fresh installation, via the bootstrap token. */
  public static Api bootstrap(String base, String bootstrapToken, String slug, String password) {
    Http.Res r =
        Http.post(
            base + "/api/v1/bootstrap/team",
            bootstrapToken,
            "{\"slug\":\"" + slug + "\",\"name\":\"T\",\"password\":\"" + password + "\"}");
    assertThat(r.status()).as(r.toString()).isIn(200, 201);
    JsonNode j = r.json();
    return new Api(base, j.get("token").asText(), j.get("team_id").asLong(), slug);
  }

  /** Another team via public signup. */
  public static Api signup(String base, String slug, String password) {
    Http.Res r =
        Http.post(
            base + "/api/v1/teams/signup",
            null,
            "{\"slug\":\"" + slug + "\",\"name\":\"T\",\"password\":\"" + password + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonNode j = r.json();
    return new Api(base, j.get("token").asText(), j.get("team_id").asLong(), slug);
  }

  public Api withToken(String other) {
    return new Api(base, other, teamId, slug);
  }

  public Http.Res post(String path, String body, String... headers) {
    return Http.post(base + path, token, body, headers);
  }

  public Http.Res get(String path) {
    return Http.get(base + path, token);
  }

  public long createApp(String app) {
    Http.Res r = post("/api/v1/apps", "{\"slug\":\"" + app + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("app_id").asLong();
  }

  public Http.Res upload(String app, byte[] artifact) {
    return Http.send(uploadRequest(app, artifact, token).build());
  }

  public static HttpRequest.Builder uploadRequest(
      String base, String app, byte[] artifact, String token) {
    String boundary = "----mt" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      b.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"a.tar.gz\""
                  + "\r\nContent-Type: application/gzip\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      b.write(artifact);
      b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Http.auth(
        Http.req(base + "/api/v1/apps/" + app + "/versions")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())),
        token);
  }

  HttpRequest.Builder uploadRequest(String app, byte[] artifact, String token) {
    return uploadRequest(base, app, artifact, token);
  }

  /** Creates the app and uploads a shell script as its first version. */
  public void deployShell(String app, String script) throws IOException {
    createApp(app);
    Http.Res r = upload(app, Tar.app(app, "job.sh", script));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  /** Creates a run; answers its id. */
  public long createRun(String app, String body) {
    Http.Res r = post("/api/v1/apps/" + app + "/runs", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().get("run_id").asLong();
  }
}
