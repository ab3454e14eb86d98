package dev.herald.shared.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashRingTest {
  private static final int KEYS = 1_000_000;

  /** Slack-style channel ids: 'C' and ten base-32 characters, the same shape the Webapp mints. */
  private static String[] channelIds(int count, long seed) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    Random random = new Random(seed);
    String[] ids = new String[count];
    char[] id = new char[11];
    id[0] = 'C';
    for (int i = 0; i < count; i++) {
      for (int k = 1; k < id.length; k++) {
        id[k] = alphabet.charAt(random.nextInt(32));
      }
      ids[i] = new String(id);
    }
    return ids;
  }

  private static List<String> nodes(int n) {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add("cs-" + i);
    }
    return nodes;
  }

  @ParameterizedTest(name = "{0} nodes each own 1M/{0} channels within ±10%")
  @ValueSource(ints = {3, 4, 5, 8, 12, 16})
  void everyNodeGetsItsFairShare(int n) {
    HashRing ring = HashRing.of(nodes(n));
    Map<String, Integer> counts = new HashMap<>();
    for (String key : channelIds(KEYS, n)) {
      counts.merge(ring.ownerOf(key), 1, Integer::sum);
    }
    double fair = (double) KEYS / n;
    assertEquals(n, counts.size());
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      double ratio = e.getValue() / fair;
      assertTrue(ratio > 0.9 && ratio < 1.1, e.getKey() + " owns " + ratio + " of its fair share");
    }
  }

  @ParameterizedTest(name = "adding a node to {0} moves about 1/({0}+1) of the keys, all to the new node")
  @ValueSource(ints = {3, 5, 8, 15})
  void addingANodeMovesOnlyItsShare(int n) {
    HashRing before = HashRing.of(nodes(n));
    List<String> grown = nodes(n);
    grown.add("cs-new");
    HashRing after = HashRing.of(grown);
    int moved = 0;
    for (String key : channelIds(KEYS, 7)) {
      String was = before.ownerOf(key);
      String is = after.ownerOf(key);
      if (!was.equals(is)) {
        moved++;
        assertEquals("cs-new", is, "a key moved between two old nodes");
      }
    }
    double expected = (double) KEYS / (n + 1);
    double ratio = moved / expected;
    assertTrue(ratio > 0.9 && ratio < 1.1, "moved " + moved + " keys, expected about " + (long) expected);
  }

  @Test
  @DisplayName("removing a node hands only its own keys to the others")
  void removingANodeMovesOnlyItsKeys() {
    HashRing before = HashRing.of(nodes(6));
    HashRing after = HashRing.of(nodes(5));
    for (String key : channelIds(200_000, 3)) {
      String was = before.ownerOf(key);
      if (!was.equals("cs-5")) {
        assertEquals(was, after.ownerOf(key));
      }
    }
  }

  @Test
  @DisplayName("the ring is the same whatever order its members are given in")
  void orderOfMembersDoesNotMatter() {
    HashRing a = HashRing.of(List.of("cs-a", "cs-b", "cs-c"));
    HashRing b = HashRing.of(List.of("cs-c", "cs-a", "cs-b"));
    for (String key : channelIds(10_000, 11)) {
      assertEquals(a.ownerOf(key), b.ownerOf(key));
    }
  }

  @Test
  @DisplayName("an empty ring owns nothing")
  void emptyRing() {
    assertNull(HashRing.of(List.of()).ownerOf("C123"));
  }
}
