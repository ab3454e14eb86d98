package dev.herald.shared.bus;

/**
 * The Webapp asks a Gateway (any one) to mint a single-use websocket ticket for an authenticated user.
 * {@code batchPresenceAware} is rtm.connect's option of the same name: presence changes arrive as one event with a
 * {@code users} list. {@code resume} (may be null) is what the client last saw per channel, as JSON
 * {@code {"C1":{"seq":12,"epoch":"3fa2"}}}: the Gateway replays what it missed.
 */
public record TicketRequest(String userId, String teamId, String userName, boolean batchPresenceAware, String resume)
    implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(userId).string(teamId).string(userName).bool(batchPresenceAware).string(resume);
  }

  public static TicketRequest readFrom(Wire.Reader in) {
    return new TicketRequest(in.string(), in.string(), in.string(), in.bool(), in.string());
  }
}
