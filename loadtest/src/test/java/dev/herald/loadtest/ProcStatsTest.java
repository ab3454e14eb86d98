package dev.herald.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.loadtest.ProcStats.ThreadKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

  @Test
  void threadsAreToldApartByTheirLinuxNames() {
    // Linux keeps 15 characters of a thread's name: these are the names /proc shows for a Vert.x server on HotSpot.
    assertEquals(ThreadKind.EVENT_LOOP, ThreadKind.of("vert.x-eventloo"));
    assertEquals(ThreadKind.WORKER, ThreadKind.of("vert.x-worker-t"));
    assertEquals(ThreadKind.JIT, ThreadKind.of("C2 CompilerThre"));
    assertEquals(ThreadKind.JIT, ThreadKind.of("C1 CompilerThre"));
    assertEquals(ThreadKind.GC, ThreadKind.of("GC Thread#1"));
    assertEquals(ThreadKind.GC, ThreadKind.of("G1 Conc#0"));
    assertEquals(ThreadKind.GC, ThreadKind.of("VM Thread"));
    assertEquals(ThreadKind.OTHER, ThreadKind.of("java"));
  }

  @Test
  void theKindsAddUpToTheProcessTotal() {
    Map<ThreadKind, Long> start = Map.of(ThreadKind.EVENT_LOOP, 100L, ThreadKind.JIT, 50L, ThreadKind.OTHER, 10L);
    Map<ThreadKind, Long> end = Map.of(ThreadKind.EVENT_LOOP, 400L, ThreadKind.JIT, 70L, ThreadKind.OTHER, 5L);
    Map<ThreadKind, Long> since = ProcStats.cpuByKindSince(start, end, 500);
    assertEquals(300L, since.get(ThreadKind.EVENT_LOOP));
    assertEquals(20L, since.get(ThreadKind.JIT));
    assertEquals(0L, since.get(ThreadKind.GC));
    // Threads that ended meanwhile (OTHER went down) are the rest of the total.
    assertEquals(180L, since.get(ThreadKind.OTHER));
    assertEquals(500L, since.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void thisJvmsThreadsAreRead() {
    Map<ThreadKind, Long> mine = ProcStats.cpuByKind(List.of(ProcessHandle.current().pid()));
    assertTrue(mine.get(ThreadKind.OTHER) > 0, "the main thread has run: " + mine);
  }
}
