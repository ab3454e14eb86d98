package dev.herald.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlaceholderTest {
  @Test
  @DisplayName("each ? becomes $1, $2... in order for PostgreSQL")
  void numbersPlaceholdersInOrder() {
    assertEquals("UPDATE streams SET last_ts = GREATEST(last_ts + 1, $1) WHERE id = $2 LIMIT $3",
        SqlStorage.numberPlaceholders("UPDATE streams SET last_ts = GREATEST(last_ts + 1, ?) WHERE id = ? LIMIT ?"));
  }

  @Test
  @DisplayName("a ? inside a string literal or a quoted name is text, not a placeholder")
  void leavesQuotedQuestionMarksAlone() {
    assertEquals("SELECT 'why?', 'it''s ?', \"odd?name\" FROM t WHERE a = $1 AND b = '?' AND c = $2",
        SqlStorage.numberPlaceholders(
            "SELECT 'why?', 'it''s ?', \"odd?name\" FROM t WHERE a = ? AND b = '?' AND c = ?"));
  }
}
