package dev.herald.loadtest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One server JVM's share of an idle run when the server is several JVMs: its resident memory and open sockets before
 * the clients came, against the same once they are held. A Gateway's socket growth is the clients it holds (give or
 * take a cluster connection), so its RSS growth over that is its memory per connection.
 */
record ProcessFigures(String name, long pid, long rssBefore, int socketsBefore) {

  static Map<String, ProcessFigures> before(ServerUnderTest server) {
    Map<String, ProcessFigures> figures = new LinkedHashMap<>();
    server.processes().forEach((name, pid) ->
        figures.put(name, new ProcessFigures(name, pid, ProcStats.sample(pid).rssBytes(), ProcStats.sockets(pid))));
    return figures;
  }

  /** {@code core 3 gateway1 5012 ...}: the sockets each JVM has gained so far. */
  static String socketsNow(Map<String, ProcessFigures> figures) {
    StringBuilder s = new StringBuilder();
    for (ProcessFigures f : figures.values()) {
      s.append(s.length() == 0 ? "" : " ").append(f.name).append(' ')
          .append(ProcStats.sockets(f.pid) - f.socketsBefore);
    }
    return s.toString();
  }

  /**
   * Prints each JVM's figures and puts the Gateways' spread into the result: fewest and most sockets on one Gateway,
   * lowest and highest RSS growth per socket of one Gateway, and the core JVM's RSS growth.
   */
  static void held(Map<String, ProcessFigures> figures, RunResult result, String label) {
    int minSockets = Integer.MAX_VALUE;
    int maxSockets = 0;
    double minKb = Double.MAX_VALUE;
    double maxKb = 0;
    for (ProcessFigures f : figures.values()) {
      long rss = ProcStats.sample(f.pid).rssBytes();
      int sockets = ProcStats.sockets(f.pid) - f.socketsBefore;
      double kb = sockets <= 0 ? 0 : (rss - f.rssBefore) / 1024.0 / sockets;
      System.err.printf(Locale.ROOT, "loadtest: %s: %s pid %d: %d sockets more, RSS %.0f -> %.0f MB (%+.0f MB)%s%n",
          label, f.name, f.pid, sockets, f.rssBefore / 1048576.0, rss / 1048576.0, (rss - f.rssBefore) / 1048576.0,
          f.name.startsWith("gateway") ? String.format(Locale.ROOT, ", %.2f KB per socket", kb) : "");
      if (f.name.startsWith("gateway")) {
        minSockets = Math.min(minSockets, sockets);
        maxSockets = Math.max(maxSockets, sockets);
        minKb = Math.min(minKb, kb);
        maxKb = Math.max(maxKb, kb);
      } else if (f.name.equals("core")) {
        result.put("core_rss_growth_mb", (rss - f.rssBefore) / 1048576.0);
      }
    }
    if (maxSockets > 0) {
      result.put("gateway_sockets_min", minSockets).put("gateway_sockets_max", maxSockets)
          .put("gateway_kb_per_connection_min", minKb).put("gateway_kb_per_connection_max", maxKb);
    }
  }
}
