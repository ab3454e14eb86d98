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

  /** What a JVM thread does, told by its name (Linux keeps the first 15 characters of the Java thread name). */
  public enum ThreadKind {
    EVENT_LOOP, WORKER, JIT, GC, OTHER;

    static ThreadKind of(String name) {
      if (name.startsWith("vert.x-eventloo")) {
        return EVENT_LOOP;
      }
      // herald-database: the embedded database's own thread (DatabaseThread).
      if (name.startsWith("vert.x-worker") || name.startsWith("vert.x-internal") || name.startsWith("herald-databas")) {
        return WORKER;
      }
      if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") || name.contains("CompilerThre")) {
        return JIT;
      }
      if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")
          || name.startsWith("ZGC") || name.startsWith("Shenandoah")) {
        return GC;
      }
      return OTHER;
    }
  }

  /**
   * CPU so far of every thread of the given processes, added up by {@link ThreadKind}, in microseconds: how much of a
   * server's cost is its event loops, its blocking workers (the embedded database), the JIT compiler and the GC.
   * Threads that ended meanwhile are missing here; {@link #cpuByKindSince} counts them as {@link ThreadKind#OTHER}.
   */
  public static java.util.EnumMap<ThreadKind, Long> cpuByKind(java.util.Collection<Long> pids) {
    java.util.EnumMap<ThreadKind, Long> cpu = new java.util.EnumMap<>(ThreadKind.class);
    for (ThreadKind kind : ThreadKind.values()) {
      cpu.put(kind, 0L);
    }
    for (long pid : pids) {
      try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long micros = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000 / CLOCK_TICKS;
            cpu.merge(ThreadKind.of(name), micros, Long::sum);
          } catch (IOException | RuntimeException e) {
            // the thread ended while we listed
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process is gone
      }
    }
    return cpu;
  }

  /**
   * Each kind's CPU between two readings; whatever the process total grew by beyond the threads still alive (threads
   * that ended meanwhile) goes to {@link ThreadKind#OTHER}, so the kinds add up to {@code totalMicros}.
   */
  public static java.util.EnumMap<ThreadKind, Long> cpuByKindSince(java.util.Map<ThreadKind, Long> start,
      java.util.Map<ThreadKind, Long> end, long totalMicros) {
    java.util.EnumMap<ThreadKind, Long> since = new java.util.EnumMap<>(ThreadKind.class);
    long named = 0;
    for (ThreadKind kind : ThreadKind.values()) {
      long used = Math.max(0, end.getOrDefault(kind, 0L) - start.getOrDefault(kind, 0L));
      since.put(kind, used);
      if (kind != ThreadKind.OTHER) {
        named += used;
      }
    }
    since.put(ThreadKind.OTHER, Math.max(0, totalMicros - named));
    return since;
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
