package dev.herald.shared.bus;

/** A typed message that crosses the event bus. Immutable, so local delivery passes the same instance. */
public interface BusMessage {
  void writeTo(Wire.Writer out);
}
