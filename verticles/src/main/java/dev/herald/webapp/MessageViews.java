package dev.herald.webapp;

import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Reaction;
import dev.herald.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Messages as reads return them: with their reactions, a thread parent's summary ({@code reply_count},
 * {@code reply_users}...) and a reply's {@code parent_user_id}. One reactions query per page; one query per thread.
 */
public final class MessageViews {
  /** Slack shows at most this many {@code reply_users}. */
  private static final int REPLY_USERS_SHOWN = 5;

  private final Storage storage;

  public MessageViews(Storage storage) {
    this.storage = storage;
  }

  public Future<JsonObject> one(Conversation c, Message m) {
    return page(c, List.of(m)).map(array -> array.getJsonObject(0));
  }

  /** The messages rendered in the order given. */
  public Future<JsonArray> page(Conversation c, List<Message> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    List<Long> tss = new ArrayList<>(messages.size());
    Set<Long> parentsOfReplies = new LinkedHashSet<>();
    for (Message m : messages) {
      tss.add(m.ts());
      if (m.isReply()) {
        parentsOfReplies.add(m.threadTs());
      }
    }
    Map<Long, Future<List<String>>> replyUsers = new HashMap<>();
    Map<Long, Future<Integer>> replyUserCounts = new HashMap<>();
    for (Message m : messages) {
      if (!m.isReply() && m.replyCount() > 0) {
        replyUsers.put(m.ts(), storage.replyUsers(c.id(), m.ts(), REPLY_USERS_SHOWN));
        replyUserCounts.put(m.ts(), storage.replyUserCount(c.id(), m.ts()));
      }
    }
    Map<Long, Future<Message>> parents = new HashMap<>();
    for (Long parentTs : parentsOfReplies) {
      parents.put(parentTs, storage.message(c.id(), parentTs));
    }
    Future<Map<Long, List<Reaction>>> reactions = storage.reactions(c.id(), tss);
    List<Future<?>> all = new ArrayList<>();
    all.add(reactions);
    all.addAll(replyUsers.values());
    all.addAll(replyUserCounts.values());
    all.addAll(parents.values());
    return Future.all(all).map(done -> {
      JsonArray out = new JsonArray();
      for (Message m : messages) {
        JsonObject json = SlackJson.message(m, c.teamId());
        if (replyUsers.containsKey(m.ts())) {
          SlackJson.withThread(json, m, replyUsers.get(m.ts()).result(), replyUserCounts.get(m.ts()).result());
        }
        if (m.isReply()) {
          Message parent = parents.get(m.threadTs()).result();
          if (parent != null) {
            json.put("parent_user_id", parent.userId());
          }
        }
        List<Reaction> mine = reactions.result().get(m.ts());
        if (mine != null && !mine.isEmpty()) {
          json.put("reactions", SlackJson.reactions(mine));
        }
        out.add(json);
      }
      return out;
    });
  }
}
