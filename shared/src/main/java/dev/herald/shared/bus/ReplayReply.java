package dev.herald.shared.bus;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a {@link ReplayRequest}: {@link #RECOVERED} with exactly the missed events in order, or why they
 * cannot be given ({@link #GAP}: the window no longer reaches back that far; {@link #EPOCH_CHANGED}: the server
 * lost the channel's history since), in which case the client must reload through conversations.history.
 */
public record ReplayReply(String status, long epoch, long lastSeq, List<ChannelEvent> events) implements BusMessage {
  public static final String RECOVERED = "recovered";
  public static final String GAP = "gap";
  public static final String EPOCH_CHANGED = "epoch_changed";

  @Override
  public void writeTo(Wire.Writer out) {
    out.string(status).longValue(epoch).longValue(lastSeq).intValue(events.size());
    for (ChannelEvent event : events) {
      event.writeTo(out);
    }
  }

  public static ReplayReply readFrom(Wire.Reader in) {
    String status = in.string();
    long epoch = in.longValue();
    long lastSeq = in.longValue();
    int size = in.intValue();
    List<ChannelEvent> events = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      events.add(ChannelEvent.readFrom(in));
    }
    return new ReplayReply(status, epoch, lastSeq, events);
  }
}
