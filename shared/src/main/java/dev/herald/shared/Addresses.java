package dev.herald.shared;

/**
 * The one catalogue of event-bus addresses. Every sender, consumer and test takes its address from here.
 *
 * <p>Fixed addresses are consumed by every instance of a role (point-to-point sends round-robin across them);
 * per-node addresses end in the node id of one Channel server or Gateway.
 */
public final class Addresses {
  private Addresses() {}

  private static final String PREFIX = "herald.";

  /** Webapp → Admin: a persisted {@link dev.herald.shared.bus.ChannelEvent} to route to its Channel server. */
  public static final String ADMIN_ROUTE = PREFIX + "admin.route";

  /** Channel server → ring manager: announce or withdraw a Channel server ({@link dev.herald.shared.bus.RingMember}). */
  public static final String RING_JOIN = PREFIX + "ring.join";
  public static final String RING_LEAVE = PREFIX + "ring.leave";
  /** Anyone → ring manager: the current {@link dev.herald.shared.bus.RingSnapshot}. */
  public static final String RING_GET = PREFIX + "ring.get";
  /** Ring manager → everyone (publish): a new ring version. */
  public static final String RING_UPDATES = PREFIX + "ring.updates";
  /**
   * A ring manager taking over → every Channel server (publish, {@link dev.herald.shared.bus.Ack}): announce
   * yourself again with {@link #RING_JOIN}, so the new manager rebuilds the membership from who is really there.
   */
  public static final String RING_ROLL_CALL = PREFIX + "ring.rollcall";

  /** Gateway → Webapp: the channels a connecting user belongs to ({@link dev.herald.shared.bus.SessionRequest}). */
  public static final String WEBAPP_SESSION = PREFIX + "webapp.session";
  /** Gateway → Webapp: an RTM {@code message} frame, posted through the same path as chat.postMessage. */
  public static final String WEBAPP_RTM_POST = PREFIX + "webapp.rtm.post";

  /** Webapp → every Webapp (publish): forget a revoked token or a changed user ({@link dev.herald.shared.bus.AuthChange}). */
  public static final String WEBAPP_AUTH_CHANGES = PREFIX + "webapp.auth.changes";

  /** Webapp → any Gateway: mint a single-use websocket ticket ({@link dev.herald.shared.bus.TicketRequest}). */
  public static final String GATEWAY_TICKET = PREFIX + "gateway.ticket";

  /** Gateway or Webapp → one presence server: session and presence updates, and queries, for its users. */
  public static String presenceServer(String presenceServerId) {
    return PREFIX + "presence." + presenceServerId;
  }

  /** Gateways → every presence server (publish): "I am alive", so a dead Gateway's sessions expire. */
  public static final String PRESENCE_HEARTBEAT = PREFIX + "presence.heartbeat";

  /** Admin or Gateway → one Channel server: an event to fan out to its subscribed Gateways. */
  public static String channelEvents(String channelServerId) {
    return PREFIX + "channel." + channelServerId + ".events";
  }

  /** Gateway → one Channel server: subscribe or unsubscribe channels ({@link dev.herald.shared.bus.SubscribeRequest}). */
  public static String channelSubscriptions(String channelServerId) {
    return PREFIX + "channel." + channelServerId + ".subscriptions";
  }

  /** Gateway → one Channel server: the events a resuming client missed ({@link dev.herald.shared.bus.ReplayRequest}). */
  public static String channelReplay(String channelServerId) {
    return PREFIX + "channel." + channelServerId + ".replay";
  }

  /** Channel server → one Gateway: an event for the Gateway's local sessions. */
  public static String gatewayEvents(String gatewayId) {
    return PREFIX + "gateway." + gatewayId + ".events";
  }
}
