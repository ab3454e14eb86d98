package dev.herald.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A Gateway JVM's heap, kept close to what its sockets really hold ({@code gateway.compact_heap}). A connect burst
 * makes G1 commit far more heap than the sockets keep live, and by default it never gives it back; idle sockets
 * then cost their share of that high-water mark. Three of the JVM's manageable options fix it, set here at start so
 * that {@code java -jar herald.jar gateway} needs no flags: a periodic collection when G1 has been idle, and a
 * heap that keeps at most a fifth of itself free. An option the operator set on the command line is left alone.
 * Measured in docs/benchmarks.md (idle).
 */
final class CompactHeap {
  private CompactHeap() {}

  /** In the order they must be set: {@code MinHeapFreeRatio} may not exceed {@code MaxHeapFreeRatio}. */
  static final List<Map.Entry<String, String>> OPTIONS = List.of(
      Map.entry("G1PeriodicGCInterval", "5000"),
      Map.entry("MinHeapFreeRatio", "10"),
      Map.entry("MaxHeapFreeRatio", "20"));

  /** The options to set: those of {@link #OPTIONS} still at the JVM's default ({@code current} gives null if unknown). */
  static List<Map.Entry<String, String>> toSet(Function<String, VMOption> current) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<String, String> option : OPTIONS) {
      VMOption now = current.apply(option.getKey());
      if (now != null && now.getOrigin() == VMOption.Origin.DEFAULT && now.isWriteable()) {
        out.add(option);
      }
    }
    return out;
  }

  /** Applies what {@link #toSet} chooses; returns the options set, for the log. Best effort: a JVM without them runs as is. */
  static List<String> apply() {
    HotSpotDiagnosticMXBean hotspot;
    try {
      hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (RuntimeException | LinkageError e) {
      return List.of();
    }
    if (hotspot == null) {
      return List.of();
    }
    List<String> set = new ArrayList<>();
    for (Map.Entry<String, String> option : toSet(name -> {
      try {
        return hotspot.getVMOption(name);
      } catch (IllegalArgumentException e) {
        return null;
      }
    })) {
      try {
        hotspot.setVMOption(option.getKey(), option.getValue());
        set.add(option.getKey() + "=" + option.getValue());
      } catch (RuntimeException e) {
        // Not this JVM's option (another collector, another vendor): nothing to compact with, run as is.
      }
    }
    return set;
  }
}
