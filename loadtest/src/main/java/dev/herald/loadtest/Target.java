package dev.herald.loadtest;

import io.vertx.core.Future;

/**
 * What the load generator drives: Herald through its Web API and RTM, or the baseline through its two endpoints.
 * Both take the same posts and send the same message events, so one tool measures both.
 */
public interface Target {
  /** {@code herald} or {@code baseline}. */
  String name();

  ServerUnderTest server();

  /** Creates {@code users} users in {@code channels} channels (user i in channel i mod channels). */
  Future<Population> populate(int users, int channels);

  /** A fresh websocket URL for the member (Herald: a single-use ticket from {@code rtm.connect}). */
  Future<String> socketUrl(Population population, Population.Member member);

  /** Posts {@code text} to the member's channel over HTTP; true if the server answered {@code ok:true}. */
  Future<Boolean> post(Population population, Population.Member member, String text);
}
