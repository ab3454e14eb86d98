package dev.herald.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of one process, read from Linux's /proc: the server's cost as the kernel sees it. */
public final class ProcStats {
  /** Clock ticks per second for /proc/PID/stat times; 100 on every Linux we know, checked once with getconf. */
  static final long CLOCK_TICKS = clockTicks();

  private ProcStats() {}

  /** One reading: cumulative user+system CPU in microseconds, resident set in bytes, thread count. */
  public record Sample(long cpuMicros, long rssBytes, int threads, long atNanos) {
    /** CPU used between {@code earlier} and this sample, in microseconds. */
    public long cpuSince(Sample earlier) {
      return cpuMicros - earlier.cpuMicros;
    }

    /** Share of one core used between the samples (1.0 = one core busy). */
    public double coresSince(Sample earlier) {
      long wall = atNanos - earlier.atNanos;
      return wall <= 0 ? 0 : (cpuMicros - earlier.cpuMicros) * 1000.0 / wall;
    }
  }

  /** Reads the process now; an exited process reads as zeros rather than failing a report. */
  public static Sample sample(long pid) {
    long now = System.nanoTime();
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name in parentheses may hold spaces: fields are counted after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      long rssKb = 0;
      int threads = Integer.parseInt(f[17]);
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return new Sample(ticks * 1_000_000 / CLOCK_TICKS, rssKb * 1024, threads, now);
    } catch (IOException | RuntimeException e) {
      return new Sample(0, 0, 0, now);
    }
  }

  /** Several processes read now and added up (CPU, RSS, threads): the cost of a server made of several JVMs. */
  public static Sample sum(java.util.Collection<Long> pids) {
    long cpu = 0;
    long rss = 0;
    int threads = 0;
    for (long pid : pids) {
      Sample one = sample(pid);
      cpu += one.cpuMicros();
      rss += one.rssBytes();
      threads += one.threads();
    }
    return new Sample(cpu, rss, threads, System.nanoTime());
  }

  /**
   * Open sockets of a process (TCP, Unix, any: the entries of /proc/PID/fd that link to {@code socket:[...]}); -1
   * if they cannot be read. A Gateway's count less its count before the clients came is its clients' sockets.
   */
  public static int sockets(long pid) {
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return (int) fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException | RuntimeException e) {
          return false; // closed while we listed
        }
      }).count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (Exception e) {
      return 100;
    }
  }
}
