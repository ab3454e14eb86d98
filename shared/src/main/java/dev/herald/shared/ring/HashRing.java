package dev.herald.shared.ring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Consistent hashing with virtual nodes: each node owns many small arcs of a 64-bit circle, and a key belongs to the
 * node owning the first point at or after the key's hash. Adding a node takes about 1/(N+1) of the keys, and only
 * from the old nodes to the new one; removing a node hands only its own keys to the others.
 *
 * <p>Immutable: a new membership is a new ring, so readers on any thread need no locks.
 */
public final class HashRing {
  /** Enough points that every node's share of keys stays within a few percent of fair for up to 16 nodes. */
  public static final int DEFAULT_VIRTUAL_NODES = 1024;

  private final List<String> nodes;
  private final long[] points;
  private final String[] owners;

  private HashRing(List<String> nodes, int virtualNodes) {
    this.nodes = nodes;
    int size = nodes.size() * virtualNodes;
    long[] hashes = new long[size];
    int[] order = new int[size];
    String[] pointOwners = new String[size];
    int i = 0;
    for (String node : nodes) {
      for (int v = 0; v < virtualNodes; v++) {
        hashes[i] = hash(node + "#" + v);
        pointOwners[i] = node;
        i++;
      }
    }
    // Sort points by hash, ties broken by node name, so the ring is the same wherever it is built.
    Integer[] idx = new Integer[size];
    for (int k = 0; k < size; k++) {
      idx[k] = k;
    }
    Arrays.sort(idx, (a, b) -> {
      int byHash = Long.compareUnsigned(hashes[a], hashes[b]);
      return byHash != 0 ? byHash : pointOwners[a].compareTo(pointOwners[b]);
    });
    this.points = new long[size];
    this.owners = new String[size];
    for (int k = 0; k < size; k++) {
      order[k] = idx[k];
      points[k] = hashes[order[k]];
      owners[k] = pointOwners[order[k]];
    }
  }

  public static HashRing of(Collection<String> nodes) {
    return of(nodes, DEFAULT_VIRTUAL_NODES);
  }

  public static HashRing of(Collection<String> nodes, int virtualNodes) {
    if (virtualNodes < 1) {
      throw new IllegalArgumentException("virtualNodes must be positive");
    }
    return new HashRing(Collections.unmodifiableList(new ArrayList<>(new TreeSet<>(nodes))), virtualNodes);
  }

  /** The node that owns {@code key}, or null on an empty ring. */
  public String ownerOf(String key) {
    if (points.length == 0) {
      return null;
    }
    long h = hash(key);
    int lo = 0;
    int hi = points.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(points[mid], h) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return owners[lo == points.length ? 0 : lo];
  }

  /** The members, sorted. */
  public List<String> nodes() {
    return nodes;
  }

  public boolean isEmpty() {
    return nodes.isEmpty();
  }

  /** 64-bit FNV-1a over UTF-8, finished with MurmurHash3's fmix64 so similar ids spread over the whole circle. */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
