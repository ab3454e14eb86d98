package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TicketBookTest {
  @Test
  @DisplayName("a ticket is redeemed once, within its lifetime, and is 128 random bits")
  void singleUseWithinLifetime() {
    TicketBook book = new TicketBook(30_000);
    String ticket = book.mint("U1", "T1", "alice", 1_000);
    assertEquals(32, ticket.length());
    assertNotEquals(ticket, book.mint("U1", "T1", "alice", 1_000));
    assertEquals("U1", book.redeem(ticket, 2_000).userId());
    assertNull(book.redeem(ticket, 2_000), "a ticket worked twice");
    String late = book.mint("U1", "T1", "alice", 1_000);
    assertNull(book.redeem(late, 31_001), "an expired ticket worked");
    assertNull(book.redeem(null, 0));
  }

  @Test
  @DisplayName("purge forgets only expired tickets")
  void purge() {
    TicketBook book = new TicketBook(100);
    book.mint("U1", "T1", "a", 0);
    String fresh = book.mint("U2", "T1", "b", 500);
    book.purge(200);
    assertEquals(1, book.size());
    assertEquals("U2", book.redeem(fresh, 550).userId());
  }
}
