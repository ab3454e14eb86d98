package dev.herald.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** The results: a TSV row per run, a Markdown summary of medians with ratios, and a self-contained HTML report. */
public final class Report {
  private Report() {}

  static final List<String> COLUMNS = List.of("clients", "channels", "publishers", "rate_msgs",
      "sent_deliveries_per_s", "received_deliveries_per_s", "lost", "duplicates", "extra", "failed_posts", "skipped",
      "p50_ms", "p99_ms", "p999_ms", "max_ms", "server_cpu_us_per_delivery", "server_cores", "loadgen_cores",
      "server_rss_mb", "rss_per_connection_kb", "connects_per_s", "connected", "connect_failures", "held",
      "max_sustained_deliveries_per_s", "max_sustained_msgs", "server_rss_held_mb", "storm_reconnected",
      "storm_failures", "storm_close_s", "storm_reconnect_s", "storm_reconnects_per_s", "storm_receiving_s",
      "populate_per_s", "box_loadavg", "gateways", "generators", "gateway_sockets_min", "gateway_sockets_max",
      "gateway_kb_per_connection_min", "gateway_kb_per_connection_max", "core_rss_growth_mb",
      "server_cpu_us_per_connect", "server_cpu_us_per_delivery_without_jit", "server_event_loop_cores",
      "server_worker_cores", "server_jit_cores", "server_gc_cores", "server_other_cores");

  /** The figures each scenario's table shows, in order. */
  static List<String> headline(String scenario) {
    return switch (scenario) {
      case "sweep" -> List.of("max_sustained_deliveries_per_s", "max_sustained_msgs", "p50_ms", "p99_ms",
          "server_cpu_us_per_delivery", "server_cpu_us_per_delivery_without_jit", "server_cores", "server_jit_cores", "loadgen_cores", "box_loadavg");
      case "idle" -> List.of("held", "connect_failures", "connects_per_s", "rss_per_connection_kb",
          "server_rss_held_mb", "gateway_sockets_min", "gateway_sockets_max", "gateway_kb_per_connection_min",
          "gateway_kb_per_connection_max", "core_rss_growth_mb", "server_cores", "server_cpu_us_per_connect",
          "box_loadavg");
      case "storm" -> List.of("storm_reconnected", "storm_failures", "storm_close_s", "storm_reconnect_s",
          "storm_reconnects_per_s", "storm_receiving_s", "lost", "duplicates", "box_loadavg");
      default -> List.of("sent_deliveries_per_s", "received_deliveries_per_s", "lost", "duplicates", "failed_posts",
          "p50_ms", "p99_ms", "p999_ms", "max_ms", "server_cpu_us_per_delivery",
          "server_cpu_us_per_delivery_without_jit", "server_cores", "server_event_loop_cores", "server_worker_cores",
          "server_jit_cores", "server_gc_cores", "server_other_cores", "loadgen_cores", "rss_per_connection_kb", "connects_per_s", "box_loadavg");
    };
  }

  public static void appendTsv(Path file, RunResult r) throws IOException {
    StringBuilder row = new StringBuilder();
    if (!Files.exists(file)) {
      row.append("time\tscenario\ttarget\trun\t").append(String.join("\t", COLUMNS)).append('\n');
    }
    row.append(LocalDateTime.now().withNano(0)).append('\t').append(r.scenario).append('\t').append(r.target)
        .append('\t').append(r.run);
    for (String column : COLUMNS) {
      double v = r.get(column);
      row.append('\t').append(Double.isNaN(v) ? "" : num(v));
    }
    row.append('\n');
    Files.writeString(file, row, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The rows of one scenario from a results.tsv, as results (figures only; no ticks, no histogram). */
  public static List<RunResult> readTsv(Path file, String scenario) throws IOException {
    List<RunResult> results = new ArrayList<>();
    String[] header = null;
    for (String line : Files.readAllLines(file)) {
      String[] cells = line.split("\t", -1);
      if (cells[0].equals("time")) {
        header = cells;
        continue;
      }
      if (header == null || !cells[1].equals(scenario)) {
        continue;
      }
      RunResult r = new RunResult(cells[1], cells[2], Integer.parseInt(cells[3]));
      for (int i = 4; i < Math.min(header.length, cells.length); i++) {
        if (!cells[i].isEmpty()) {
          r.put(header[i], Double.parseDouble(cells[i]));
        }
      }
      results.add(r);
    }
    return results;
  }

  public static String oneLine(RunResult r) {
    StringBuilder line = new StringBuilder(r.scenario + "/" + r.target + " run " + r.run + ":");
    for (String name : headline(r.scenario)) {
      line.append(' ').append(name).append('=').append(num(r.get(name)));
    }
    return line.toString();
  }

  /** Median over the runs of one target. */
  static double median(List<RunResult> results, String target, String metric) {
    double[] values = results.stream().filter(r -> r.target.equals(target)).mapToDouble(r -> r.get(metric))
        .filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  static List<String> targets(List<RunResult> results) {
    return results.stream().map(r -> r.target).distinct().toList();
  }

  /** A Markdown table: metric, each target's median, and Herald ÷ baseline when both ran. */
  public static String summary(Scenario s, List<RunResult> results) {
    List<String> targets = targets(results);
    boolean ratio = targets.contains("herald") && targets.contains("baseline");
    StringBuilder md = new StringBuilder();
    md.append("| ").append(s.name).append(": median of runs |");
    for (String t : targets) {
      md.append(' ').append(t).append(" (").append(results.stream().filter(r -> r.target.equals(t)).count())
          .append(" runs) |");
    }
    md.append(ratio ? " herald ÷ baseline |\n" : "\n");
    md.append("|---|").append("---:|".repeat(targets.size())).append(ratio ? "---:|\n" : "\n");
    for (String metric : headline(s.name)) {
      md.append("| ").append(metric).append(" |");
      for (String t : targets) {
        md.append(' ').append(num(median(results, t, metric))).append(" |");
      }
      if (ratio) {
        double b = median(results, "baseline", metric);
        double h = median(results, "herald", metric);
        md.append(' ').append(b == 0 || Double.isNaN(b) || Double.isNaN(h) ? "–" : num(h / b)).append(" |");
      }
      md.append('\n');
    }
    return md.toString();
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3f", v);
  }

  // ---- HTML ----

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

  record Series(String name, String color, boolean dashed, List<double[]> points) {}

  public static Path writeHtml(Path dir, Scenario s, List<RunResult> results) throws IOException {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path file = dir.resolve(s.name + "-" + stamp + ".html");
    List<String> targets = targets(results);
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Herald load test: ").append(s.name)
        .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "text-align:right}th:first-child,td:first-child{text-align:left}svg{margin:1em 0;background:#fff}"
            + "</style></head><body>");
    h.append("<h1>Herald load test: ").append(s.name).append("</h1>");
    h.append("<p>").append(esc(s.describe())).append(". Machine: ").append(esc(Machine.describe()))
        .append(". ").append(esc(LocalDateTime.now().withNano(0).toString())).append("</p>");
    h.append("<h2>Medians</h2>").append(markdownToHtml(summary(s, results)));
    h.append("<h2>Every run</h2><table><tr><th>target</th><th>run</th>");
    for (String m : headline(s.name)) {
      h.append("<th>").append(m).append("</th>");
    }
    h.append("</tr>");
    for (RunResult r : results) {
      h.append("<tr><td>").append(r.target).append("</td><td>").append(r.run).append("</td>");
      for (String m : headline(s.name)) {
        h.append("<td>").append(num(r.get(m))).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");

    // Charts come from each target's median run (by p99 where there is one), so one picture per target.
    Map<String, RunResult> typical = new LinkedHashMap<>();
    for (String t : targets) {
      typical.put(t, typicalRun(results, t));
    }
    List<Series> overTime = new ArrayList<>();
    List<Series> rates = new ArrayList<>();
    List<Series> sockets = new ArrayList<>();
    List<Series> distribution = new ArrayList<>();
    List<Series> sweep = new ArrayList<>();
    int c = 0;
    for (var e : typical.entrySet()) {
      String color = COLORS[c++ % COLORS.length];
      RunResult r = e.getValue();
      List<double[]> p99 = new ArrayList<>();
      List<double[]> p50 = new ArrayList<>();
      List<double[]> delivered = new ArrayList<>();
      List<double[]> open = new ArrayList<>();
      // Latency and rate charts start where posting starts, so targets with different set-up times line up.
      double t0 = r.ticks.stream().filter(t -> t.phase().contains("warm-up") || t.phase().startsWith("storm"))
          .mapToDouble(t -> t.t() - 1).findFirst().orElse(0);
      for (LoadGenerator.Tick t : r.ticks) {
        if (t.t() >= t0) {
          if (t.deliveriesPerS() > 0) {
            p99.add(new double[] {t.t() - t0, t.p99Ms()});
            p50.add(new double[] {t.t() - t0, t.p50Ms()});
          }
          delivered.add(new double[] {t.t() - t0, t.deliveriesPerS()});
        }
        open.add(new double[] {t.t(), t.connected()});
      }
      overTime.add(new Series(e.getKey() + " p99", color, false, p99));
      overTime.add(new Series(e.getKey() + " p50", color, true, p50));
      rates.add(new Series(e.getKey() + " deliveries/s", color, false, delivered));
      sockets.add(new Series(e.getKey() + " open sockets", color, false, open));
      if (r.latency != null && r.latency.getTotalCount() > 0) {
        distribution.add(new Series(e.getKey(), color, false, percentiles(r.latency)));
      }
      if (!r.steps.isEmpty()) {
        List<double[]> steps = new ArrayList<>();
        for (double[] step : r.steps) {
          steps.add(new double[] {step[1], step[2]});
        }
        sweep.add(new Series(e.getKey() + " p99", color, false, steps));
      }
    }
    h.append("<h2>Latency over time</h2><p>p99 (solid) and p50 (dashed) of each second's deliveries, from"
        + " warm-up to drain, for each target's median run.</p>");
    h.append(chart("latency per second", "seconds since posting started", "ms", overTime, false));
    if (!distribution.isEmpty()) {
      h.append("<h2>Latency distribution</h2><p>The measured window's latency at each percentile"
          + " (x axis: 0%, 90%, 99%, 99.9%, 99.99%, spaced by 1/(1-p)).</p>");
      h.append(chart("latency by percentile", "percentile", "ms", distribution, true));
    }
    if (!sweep.isEmpty()) {
      h.append("<h2>Sweep</h2><p>p99 at each step, against the deliveries/s received in that step.</p>");
      h.append(chart("p99 against delivery rate", "deliveries/s received", "p99 ms", sweep, false));
    }
    h.append("<h2>Deliveries per second</h2>").append(chart("deliveries/s", "seconds since posting started",
        "deliveries/s", rates, false));
    h.append("<h2>Open sockets</h2>").append(chart("open sockets", "seconds since start", "sockets", sockets,
        false));
    h.append("</body></html>\n");
    Files.writeString(file, h);
    return file;
  }

  static RunResult typicalRun(List<RunResult> results, String target) {
    List<RunResult> runs = new ArrayList<>(results.stream().filter(r -> r.target.equals(target)).toList());
    runs.sort((a, b) -> Double.compare(nanToZero(a.get("p99_ms")), nanToZero(b.get("p99_ms"))));
    return runs.get(runs.size() / 2);
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  /** (x = log10(1/(1-p)), y = ms) points of a histogram's percentile distribution. */
  static List<double[]> percentiles(Histogram histogram) {
    List<double[]> points = new ArrayList<>();
    for (HistogramIterationValue v : histogram.percentiles(5)) {
      double p = v.getPercentileLevelIteratedTo() / 100.0;
      if (p >= 0.99999) {
        break;
      }
      points.add(new double[] {Math.log10(1 / (1 - p)), v.getValueIteratedTo() / 1000.0});
    }
    points.add(new double[] {5, histogram.getMaxValue() / 1000.0});
    return points;
  }

  /** A line chart as inline SVG: no script, no network, opens anywhere. */
  static String chart(String title, String xLabel, String yLabel, List<Series> series, boolean percentileAxis) {
    int w = 900;
    int hgt = 340;
    int left = 70;
    int right = 180;
    int top = 30;
    int bottom = 45;
    double maxX = 0;
    double maxY = 0;
    for (Series s : series) {
      for (double[] p : s.points()) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    if (percentileAxis) {
      maxX = 5;
    }
    maxX = percentileAxis ? maxX : niceCeil(maxX <= 0 ? 1 : maxX);
    maxY = niceCeil(maxY <= 0 ? 1 : maxY);
    double pw = w - left - right;
    double ph = hgt - top - bottom;
    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(hgt)
        .append("\" font-size=\"12\">");
    svg.append("<text x=\"").append(left).append("\" y=\"18\" font-weight=\"bold\">").append(esc(title))
        .append("</text>");
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\""
        + " stroke=\"#999\"/>", left, top, pw, ph));
    for (int i = 0; i <= 5; i++) {
      double y = top + ph - ph * i / 5;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left, left + pw, y, y, left - 5, y + 4,
          num(maxY * i / 5)));
    }
    if (percentileAxis) {
      String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
      for (int i = 0; i <= 5; i++) {
        double x = left + pw * i / 5;
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
            top + (int) ph + 15, labels[i]));
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        double x = left + pw * i / 5;
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
            top + (int) ph + 15, num(maxX * i / 5)));
      }
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
        left + pw / 2, hgt - 8, esc(xLabel)));
    svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.0f\" transform=\"rotate(-90 14 %.0f)\""
        + " text-anchor=\"middle\">%s</text>", top + ph / 2, top + ph / 2, esc(yLabel)));
    int legend = 0;
    for (Series s : series) {
      if (s.points().isEmpty()) {
        continue;
      }
      StringBuilder path = new StringBuilder();
      for (double[] p : s.points()) {
        double x = left + pw * p[0] / maxX;
        double y = top + ph - ph * Math.min(p[1], maxY) / maxY;
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      }
      svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color())
          .append("\" stroke-width=\"1.8\"").append(s.dashed() ? " stroke-dasharray=\"5 4\"" : "").append("/>");
      double ly = top + 10 + 18 * legend++;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"%s\""
              + " stroke-width=\"2\"%s/><text x=\"%.0f\" y=\"%.0f\">%s</text>", left + pw + 10, left + pw + 35, ly, ly,
          s.color(), s.dashed() ? " stroke-dasharray=\"5 4\"" : "", left + pw + 40, ly + 4, esc(s.name())));
    }
    svg.append("</svg>");
    return svg.toString();
  }

  static double niceCeil(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (v <= step * magnitude) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String markdownToHtml(String md) {
    StringBuilder t = new StringBuilder("<table>");
    for (String line : md.split("\n")) {
      if (line.startsWith("|---")) {
        continue;
      }
      List<String> cells = new ArrayList<>(Arrays.asList(line.split("\\|")));
      cells.removeIf(String::isBlank);
      t.append("<tr>");
      for (String cell : cells) {
        t.append("<td>").append(esc(cell.trim())).append("</td>");
      }
      t.append("</tr>");
    }
    return t.append("</table>").toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
