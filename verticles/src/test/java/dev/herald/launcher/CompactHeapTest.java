package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CompactHeapTest {
  @Test
  @DisplayName("sets only options still at the JVM's default, the lower free ratio first")
  void leavesOperatorChoicesAlone() {
    Map<String, VMOption> jvm = Map.of(
        "G1PeriodicGCInterval", new VMOption("G1PeriodicGCInterval", "0", true, VMOption.Origin.DEFAULT),
        "MinHeapFreeRatio", new VMOption("MinHeapFreeRatio", "40", true, VMOption.Origin.DEFAULT),
        "MaxHeapFreeRatio", new VMOption("MaxHeapFreeRatio", "50", true, VMOption.Origin.VM_CREATION));
    assertEquals(List.of("G1PeriodicGCInterval", "MinHeapFreeRatio"),
        CompactHeap.toSet(jvm::get).stream().map(Map.Entry::getKey).toList());

    Map<String, VMOption> untouched = Map.of(
        "MinHeapFreeRatio", new VMOption("MinHeapFreeRatio", "40", true, VMOption.Origin.DEFAULT),
        "MaxHeapFreeRatio", new VMOption("MaxHeapFreeRatio", "70", true, VMOption.Origin.DEFAULT));
    assertEquals(List.of("MinHeapFreeRatio", "MaxHeapFreeRatio"),
        CompactHeap.toSet(untouched::get).stream().map(Map.Entry::getKey).toList());
  }

  @Test
  @DisplayName("on this JVM the options really change")
  void appliesToThisJvm() {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    assumeTrue(hotspot.getVMOption("MaxHeapFreeRatio").getOrigin() == VMOption.Origin.DEFAULT,
        "the test JVM was started with its own free ratios");
    List<String> set = CompactHeap.apply();
    assertEquals(List.of("G1PeriodicGCInterval=5000", "MinHeapFreeRatio=10", "MaxHeapFreeRatio=20"), set);
    assertEquals("20", hotspot.getVMOption("MaxHeapFreeRatio").getValue());
    assertEquals("5000", hotspot.getVMOption("G1PeriodicGCInterval").getValue());
  }
}
