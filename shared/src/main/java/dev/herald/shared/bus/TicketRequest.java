package dev.herald.shared.bus;

/** The Webapp asks a Gateway (any one) to mint a single-use websocket ticket for an authenticated user. */
public record TicketRequest(String userId, String teamId, String userName) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(userId).string(teamId).string(userName);
  }

  public static TicketRequest readFrom(Wire.Reader in) {
    return new TicketRequest(in.string(), in.string(), in.string());
  }
}
