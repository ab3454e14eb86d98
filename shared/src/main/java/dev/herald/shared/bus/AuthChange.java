package dev.herald.shared.bus;

/**
 * A Webapp → every Webapp (publish): a token was revoked ({@code tokenHash}) or what a user's token stands for
 * changed ({@code userId}); either may be null. Each Webapp forgets what it remembered of them.
 */
public record AuthChange(String tokenHash, String userId) implements BusMessage {
  public static AuthChange tokenRevoked(String tokenHash) {
    return new AuthChange(tokenHash, null);
  }

  public static AuthChange userChanged(String userId) {
    return new AuthChange(null, userId);
  }

  @Override
  public void writeTo(Wire.Writer out) {
    out.string(tokenHash).string(userId);
  }

  public static AuthChange readFrom(Wire.Reader in) {
    return new AuthChange(in.string(), in.string());
  }
}
