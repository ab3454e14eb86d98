package dev.herald.loadtest;

import java.util.List;

/**
 * Who takes part: {@code members.size()} users, each a member of exactly one of {@code channelIds.size()} channels
 * (user i is in channel i mod M), so a message in a channel reaches a known number of sockets.
 */
public record Population(List<Member> members, List<String> channelIds, int[] channelSizes) {

  /** One user: its index in the population, server-side id, API token (empty for the baseline) and channel. */
  public record Member(int index, String userId, String token, int channel) {}

  /** The channel a user with this index belongs to. */
  public static int channelOf(int index, int channels) {
    return index % channels;
  }

  public static int[] sizes(int users, int channels) {
    int[] sizes = new int[channels];
    for (int i = 0; i < users; i++) {
      sizes[channelOf(i, channels)]++;
    }
    return sizes;
  }

  public String channelId(Member member) {
    return channelIds.get(member.channel());
  }

  /** How many sockets a message posted by {@code member} should reach (its channel's members, sender included). */
  public int recipients(Member member) {
    return channelSizes[member.channel()];
  }
}
