package dev.herald.loadtest;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a result was measured on, as the report states it. */
final class Machine {
  private Machine() {}

  /** The 1-minute load average: how busy the shared box was while a run measured. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  static String describe() {
    String cpu = "?";
    long memKb = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // Not Linux: the report says less.
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + (memKb / 1024 / 1024)
        + " GiB RAM, " + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
        + System.getProperty("java.vm.version");
  }
}
