package dev.herald.shared.bus;

/** The websocket URL, ticket included, that the client opens on the Gateway that minted it. */
public record TicketGrant(String url) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(url);
  }

  public static TicketGrant readFrom(Wire.Reader in) {
    return new TicketGrant(in.string());
  }
}
