package dev.herald.gateway;

import dev.herald.shared.protocol.EventFrames;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a reconnecting client says it last saw, per channel: rtm.connect's {@code resume} parameter,
 * {@code {"C1":{"seq":12,"epoch":"3fa2"}}}. Channels the user is not in, and malformed entries, are ignored: a
 * client can never replay a channel it does not belong to.
 */
public final class ResumePositions {
  private ResumePositions() {}

  public record Position(long seq, long epoch) {}

  public static Map<String, Position> parse(String resume, Collection<String> memberOf) {
    Map<String, Position> positions = new HashMap<>();
    if (resume == null) {
      return positions;
    }
    JsonObject json;
    try {
      json = new JsonObject(resume);
    } catch (RuntimeException e) {
      return positions;
    }
    Set<String> allowed = new HashSet<>(memberOf);
    for (String channelId : json.fieldNames()) {
      if (!allowed.contains(channelId) || !(json.getValue(channelId) instanceof JsonObject entry)) {
        continue;
      }
      try {
        Object seq = entry.getValue("seq");
        Object epoch = entry.getValue("epoch");
        if (seq instanceof Number n && n.longValue() >= 0 && epoch instanceof String e) {
          positions.put(channelId, new Position(n.longValue(), EventFrames.parseEpoch(e)));
        }
      } catch (NumberFormatException e) {
        // not a position: ignore
      }
    }
    return positions;
  }
}
