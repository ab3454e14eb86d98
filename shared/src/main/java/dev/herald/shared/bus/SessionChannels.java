package dev.herald.shared.bus;

import java.util.List;

/** The Webapp's answer to a {@link SessionRequest}: the conversations the user is a member of. */
public record SessionChannels(String userId, String teamId, List<String> channelIds) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(userId).string(teamId).strings(channelIds);
  }

  public static SessionChannels readFrom(Wire.Reader in) {
    return new SessionChannels(in.string(), in.string(), in.strings());
  }
}
