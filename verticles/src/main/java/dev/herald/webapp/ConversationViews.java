package dev.herald.webapp;

import dev.herald.storage.Conversation;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Conversation objects as a given viewer sees them. Channels need nothing more than their row; a DM names the other
 * member ({@code user}) and a group DM is named after its members, so those take one members query each.
 */
public final class ConversationViews {
  /** Group DMs hold at most 9 people (8 others and the caller). */
  static final int MAX_DIRECT_MEMBERS = 9;

  private final Storage storage;

  public ConversationViews(Storage storage) {
    this.storage = storage;
  }

  public Future<JsonObject> one(Conversation c, User viewer, Boolean isMember, Integer numMembers) {
    if (!c.isDirect()) {
      return Future.succeededFuture(SlackJson.conversation(c, isMember, numMembers));
    }
    return storage.members(c.id(), null, MAX_DIRECT_MEMBERS).map(members ->
        SlackJson.conversation(c, isMember, numMembers, directLabel(c, members, viewer.id())));
  }

  /** Conversations in order; {@code memberOf} says which the viewer is in (null: leave {@code is_member} out). */
  public Future<JsonArray> page(List<Conversation> conversations, User viewer, Set<String> memberOf) {
    List<Future<JsonObject>> rendered = new ArrayList<>(conversations.size());
    for (Conversation c : conversations) {
      rendered.add(one(c, viewer, memberOf == null ? null : memberOf.contains(c.id()), null));
    }
    return Future.all(rendered).map(done -> {
      JsonArray out = new JsonArray();
      rendered.forEach(f -> out.add(f.result()));
      return out;
    });
  }

  public Future<Set<String>> memberships(User user) {
    return storage.conversationIdsOf(user.id()).map(HashSet::new);
  }

  /** For a DM, the member who is not the viewer (the viewer, in a DM with themselves); for a group DM, all of them. */
  static String directLabel(Conversation c, List<String> members, String viewerId) {
    if (c.isMpim()) {
      return String.join(",", members);
    }
    for (String m : members) {
      if (!m.equals(viewerId)) {
        return m;
      }
    }
    return viewerId;
  }
}
