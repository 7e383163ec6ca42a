package dev.minitower.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The routing table behind the single public URL (docs/deploy.md "Routing"): the Gateway API
 * HTTPRoute of k8s/ and the nginx gateway of docker-compose.yml send every endpoint of the API
 * contract to the right service, each through exactly one match.
 */
class GatewayRoutingTest {

  record Endpoint(String method, String path, String contractPath, String backend) {
    @Override
    public String toString() {
      return method + " " + path + " -> " + backend;
    }
  }

  /**
   * One match of one rule, with Gateway API precedence (Exact, then regex, then longest prefix).
   */
  record Candidate(int rule, HTTPRouteMatch match, String backend) {
    int rank() {
      String type = match.getPath().getType();
      int base =
          switch (type) {
            case "Exact" -> 3_000_000;
            case "RegularExpression" -> 2_000_000;
            case "PathPrefix" -> 1_000_000 + match.getPath().getValue().length() * 10;
            default -> throw new AssertionError("path match type " + type);
          };
      return base + (match.getMethod() != null ? 1 : 0);
    }

    boolean matches(String method, String path) {
      if (match.getMethod() != null && !match.getMethod().equals(method)) {
        return false;
      }
      if (match.getHeaders() != null && !match.getHeaders().isEmpty()
          || match.getQueryParams() != null && !match.getQueryParams().isEmpty()) {
        throw new AssertionError("header and query matches are not used by the routing table");
      }
      String value = match.getPath().getValue();
      return switch (match.getPath().getType()) {
        case "Exact" -> path.equals(value);
        case "RegularExpression" -> Pattern.compile(value).matcher(path).matches();
        default ->
            value.equals("/")
                || path.equals(value)
                || path.startsWith(value.endsWith("/") ? value : value + "/");
      };
    }
  }

  static List<Endpoint> endpoints() {
    return Repo.read(Repo.path("deploy-tests/src/test/resources/endpoints.tsv"))
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("\t"))
        .map(f -> new Endpoint(f[0], f[1], f[2], f[3]))
        .toList();
  }

  static Stream<Rendered> renderings() {
    return KubernetesManifestsTest.renderings();
  }

  static List<Candidate> candidates(HTTPRoute route) {
    List<Candidate> all = new ArrayList<>();
    List<HTTPRouteRule> rules = route.getSpec().getRules();
    for (int i = 0; i < rules.size(); i++) {
      HTTPRouteRule rule = rules.get(i);
      assertThat(rule.getBackendRefs()).as("rule " + i + " backends").hasSize(1);
      String backend = rule.getBackendRefs().get(0).getName();
      for (HTTPRouteMatch m : rule.getMatches()) {
        all.add(new Candidate(i, m, backend));
      }
    }
    return all;
  }

  /** The backend Gateway API routing picks; fails when two matches tie at the top. */
  static String route(List<Candidate> candidates, Endpoint e) {
    List<Candidate> matching =
        candidates.stream()
            .filter(c -> c.matches(e.method(), e.path()))
            .sorted(Comparator.comparingInt(Candidate::rank).reversed())
            .toList();
    assertThat(matching).as(e + ": no route").isNotEmpty();
    int best = matching.get(0).rank();
    assertThat(matching.stream().filter(c -> c.rank() == best))
        .as(e + ": matched more than once at the same precedence")
        .hasSize(1);
    return matching.get(0).backend();
  }

  @Test
  void theEndpointTableCoversTheWholeContractIndex() {
    List<Endpoint> endpoints = endpoints();
    Set<String> contract = new HashSet<>();
    for (Endpoint e : endpoints.subList(0, 32)) {
      contract.add(e.method() + " " + e.contractPath());
    }
    // 29 method+path pairs of docs/spec/api.md §1, with "any /metrics" written as GET and POST.
    assertThat(contract).hasSize(30);
    assertThat(endpoints)
        .filteredOn(e -> e.backend().equals("runner-service"))
        .extracting(e -> e.method() + " " + e.contractPath())
        .containsExactlyInAnyOrder(
            "POST /api/v1/runners/register",
            "POST /api/v1/runs/lease",
            "POST /api/v1/runs/{run}/start",
            "POST /api/v1/runs/{run}/heartbeat",
            "POST /api/v1/runs/{run}/logs",
            "POST /api/v1/runs/{run}/logs",
            "POST /api/v1/runs/{run}/result",
            "GET /api/v1/runs/{run}/artifact",
            "POST /api/v1/runners/heartbeat");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void httpRouteSendsEveryEndpointToItsServiceThroughExactlyOneMatch(Rendered r) {
    HTTPRoute route = r.find(HTTPRoute.class, "minitower").orElseThrow();
    List<Candidate> candidates = candidates(route);
    Set<Candidate> used = new HashSet<>();
    for (Endpoint e : endpoints()) {
      assertThat(route(candidates, e)).as(e.toString()).isEqualTo(e.backend());
      candidates.stream()
          .filter(c -> c.matches(e.method(), e.path()))
          .max(Comparator.comparingInt(Candidate::rank))
          .ifPresent(used::add);
    }
    assertThat(used)
        .as("every match routes some endpoint")
        .containsExactlyInAnyOrderElementsOf(candidates);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void httpRouteBackendsAreServicesWithThosePorts(Rendered r) {
    HTTPRoute route = r.find(HTTPRoute.class, "minitower").orElseThrow();
    assertThat(route.getSpec().getParentRefs()).isNotEmpty();
    assertThat(route.getSpec().getHostnames()).isNotEmpty();
    for (HTTPRouteRule rule : route.getSpec().getRules()) {
      for (var ref : rule.getBackendRefs()) {
        Service s = r.service(ref.getName());
        assertThat(s.getSpec().getPorts()).extracting(p -> p.getPort()).contains(ref.getPort());
        // Only the public port: /metrics, /health and /ready live on the management port.
        assertThat(s.getSpec().getPorts())
            .filteredOn(p -> p.getPort().equals(ref.getPort()))
            .extracting(p -> p.getName())
            .as(ref.getName() + ":" + ref.getPort())
            .containsExactly("http");
      }
    }
  }

  /** The nginx map: regex entries in order, first match wins, else the default. */
  @Test
  void composeGatewayRoutesLikeTheHttpRoute() {
    String conf = Repo.read(Repo.path("deploy/gateway/nginx.conf"));
    Matcher map =
        Pattern.compile(
                "map \"\\$request_method \\$uri\" \\$minitower_backend \\{(.*?)\\}", Pattern.DOTALL)
            .matcher(conf);
    assertThat(map.find()).isTrue();
    String fallback = null;
    List<Pattern> patterns = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (String line : map.group(1).lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      Matcher entry = Pattern.compile("\"~(.+)\" (\\w+);").matcher(line);
      if (line.startsWith("default ")) {
        fallback = line.substring(8, line.length() - 1).strip();
      } else {
        assertThat(entry.matches()).as(line).isTrue();
        patterns.add(Pattern.compile(entry.group(1)));
        targets.add(entry.group(2));
      }
    }
    assertThat(fallback).isEqualTo("api_service");
    assertThat(conf).contains("server api-service:8080;", "server runner-service:8081;");
    assertThat(conf)
        .as("no management port behind the public URL")
        .doesNotContainPattern(":90\\d\\d");
    for (Endpoint e : endpoints()) {
      String key = e.method() + " " + e.path();
      List<Integer> hits = new ArrayList<>();
      for (int i = 0; i < patterns.size(); i++) {
        if (patterns.get(i).matcher(key).find()) {
          hits.add(i);
        }
      }
      assertThat(hits).as(key + " matched by at most one entry").hasSizeLessThanOrEqualTo(1);
      String upstream = hits.isEmpty() ? fallback : targets.get(hits.get(0));
      assertThat(upstream.replace('_', '-')).as(key).isEqualTo(e.backend());
    }
  }
}
