package dev.herald.shared.bus;

/** An empty positive reply. */
public record Ack() implements BusMessage {
  public static final Ack INSTANCE = new Ack();

  @Override
  public void writeTo(Wire.Writer out) {}

  public static Ack readFrom(Wire.Reader in) {
    return INSTANCE;
  }
}
