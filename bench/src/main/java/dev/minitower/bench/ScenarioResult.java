package dev.minitower.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one scenario measured. */
public final class ScenarioResult {
  public final String name;
  public final String description;
  public final Map<String, Object> params = new LinkedHashMap<>();
  public final Map<String, Double> figures = new LinkedHashMap<>();
  public long created;
  public long completed;
  public double seconds;
  public double runsPerSecond;
  public Latency.Summary createdToLeased;
  public Latency.Summary createdToStarted;
  public Map<String, Latency.Summary> endpoints = new LinkedHashMap<>();
  public Map<String, Long> errors = new LinkedHashMap<>();
  public Map<String, Double> cpuSeconds = new LinkedHashMap<>();
  public Map<String, ProcStats.Sample> processesAfter = new LinkedHashMap<>();
  public Ceiling.Result ceiling;
  public Ceiling.Result ceilingShaped;
  public Map<String, Double> ceilingCpuSeconds = new LinkedHashMap<>();

  public ScenarioResult(String name, String description) {
    this.name = name;
    this.description = description;
  }

  void take(Metrics m) {
    created = m.created.get();
    completed = m.completed.get();
    createdToLeased = m.createdToLeased.summary();
    createdToStarted = m.createdToStarted.summary();
    endpoints = m.endpointSummaries();
    errors = m.errorCounts();
  }

  /** End-to-end runs/s over the SQL ceiling's runs/s, or NaN without a ceiling. */
  public double ceilingRatio() {
    if (ceiling == null || ceiling.runsPerSecond() <= 0) {
      return Double.NaN;
    }
    return runsPerSecond / ceiling.runsPerSecond();
  }
}
