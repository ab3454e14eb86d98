package dev.herald.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One run of one scenario against one target: its figures by name, and what the charts need. */
public final class RunResult {
  public final String scenario;
  public final String target;
  public final int run;
  public final Map<String, Double> metrics = new LinkedHashMap<>();
  public final List<LoadGenerator.Tick> ticks = new ArrayList<>();
  /** Latencies of the measured window (for sweep: of the highest sustained step). */
  public Histogram latency;
  /** Sweep only: rate (msg/s), received deliveries/s, p99 ms, sustained (1/0) per step. */
  public final List<double[]> steps = new ArrayList<>();

  public RunResult(String scenario, String target, int run) {
    this.scenario = scenario;
    this.target = target;
    this.run = run;
  }

  public RunResult put(String name, double value) {
    metrics.put(name, value);
    return this;
  }

  public double get(String name) {
    Double value = metrics.get(name);
    return value == null ? Double.NaN : value;
  }

  /** The figures of a posting window, under the names the TSV and the report use. */
  public void putWindow(LoadGenerator.Window w) {
    put("rate_msgs", w.rate());
    put("sent_msgs", w.tally().messages());
    put("sent_deliveries_per_s", w.sentDeliveriesPerSecond());
    put("received_deliveries_per_s", w.receivedDeliveriesPerSecond());
    put("expected", w.tally().expected());
    put("received", w.tally().received());
    put("lost", w.tally().lost());
    put("duplicates", w.duplicates());
    put("extra", w.tally().extra() + w.foreign());
    put("failed_posts", w.failedPosts());
    put("skipped", w.skipped());
    put("p50_ms", w.ms(50));
    put("p99_ms", w.ms(99));
    put("p999_ms", w.ms(99.9));
    put("max_ms", w.latency().getTotalCount() == 0 ? 0 : w.latency().getMaxValue() / 1000.0);
    put("server_cpu_us_per_delivery", w.serverMicrosPerDelivery());
    put("server_cpu_us_per_delivery_without_jit", w.serverMicrosPerDeliveryWithoutJit());
    put("server_cores", w.serverEnd().coresSince(w.serverStart()));
    w.serverCoresByKind().forEach((kind, cores) ->
        put("server_" + kind.name().toLowerCase(java.util.Locale.ROOT) + "_cores", cores));
    put("loadgen_cores", w.selfEnd().coresSince(w.selfStart()));
    put("server_rss_mb", w.serverEnd().rssBytes() / 1048576.0);
    put("latency_count", w.latency().getTotalCount());
    latency = w.latency();
  }
}
