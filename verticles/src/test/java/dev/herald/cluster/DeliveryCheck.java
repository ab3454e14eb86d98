package dev.herald.cluster;

import dev.herald.cluster.ChaosPoster.Ack;
import dev.herald.cluster.ResumingClient.Receipt;
import dev.herald.cluster.ResumingClient.Source;
import java.util.ArrayList;
import java.util.List;

/** Whether every acknowledged post reached every member's client, and how. */
final class DeliveryCheck {
  private DeliveryCheck() {}

  record Result(int acknowledged, int expectedDeliveries, int live, int resumed, int history, List<String> lost,
      List<String> duplicates) {
    String line(String label) {
      return String.format("%s: acknowledged=%d deliveries=%d delivered_live=%d recovered_by_resume=%d "
              + "recovered_by_history=%d lost=%d duplicates=%d", label, acknowledged, expectedDeliveries, live,
          resumed, history, lost.size(), duplicates.size());
    }
  }

  /**
   * Waits (bounded) until every client is connected with no reload pending and has every post, then counts. Every
   * client is a member of every post's channel.
   */
  static Result await(List<Ack> acks, List<ResumingClient> clients, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (clients.stream().allMatch(ResumingClient::settled) && count(acks, clients).lost().isEmpty()) {
        break;
      }
      LocalCluster.pause(100);
    }
    return count(acks, clients);
  }

  static Result count(List<Ack> acks, List<ResumingClient> clients) {
    int live = 0;
    int resumed = 0;
    int history = 0;
    List<String> lost = new ArrayList<>();
    for (Ack ack : acks) {
      for (ResumingClient client : clients) {
        Receipt receipt = client.receipt(ack.channel(), ack.ts());
        if (receipt == null) {
          lost.add(ack.channel() + "@" + ack.ts() + " (from " + ack.sender() + ") to " + client.user.name());
        } else if (receipt.source() == Source.LIVE) {
          live++;
        } else if (receipt.source() == Source.RESUME) {
          resumed++;
        } else {
          history++;
        }
      }
    }
    List<String> duplicates = new ArrayList<>();
    for (ResumingClient client : clients) {
      client.duplicates().forEach(d -> duplicates.add(d + " to " + client.user.name()));
    }
    return new Result(acks.size(), acks.size() * clients.size(), live, resumed, history, lost, duplicates);
  }
}
