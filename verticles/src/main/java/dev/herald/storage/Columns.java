package dev.herald.storage;

import io.vertx.sqlclient.Row;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One result row, whether it came from the Vert.x SQL client or from plain JDBC ({@link DatabaseThread}), so each
 * table's mapping to a record is written once. Columns are numbered from 0, as in a Vert.x {@link Row}.
 */
interface Columns {
  String getString(int column);

  Long getLong(int column);

  Integer getInteger(int column);

  /** A boolean column or expression: SQLite hands an expression's truth (EXISTS ...) back as 0 or 1. */
  boolean bool(int column);

  static Columns of(Row row) {
    return new Columns() {
      @Override
      public String getString(int column) {
        return row.getString(column);
      }

      @Override
      public Long getLong(int column) {
        return row.getLong(column);
      }

      @Override
      public Integer getInteger(int column) {
        return row.getInteger(column);
      }

      @Override
      public boolean bool(int column) {
        Object value = row.getValue(column);
        return value instanceof Number n ? n.intValue() != 0 : (Boolean) value;
      }
    };
  }

  /** The result set's current row. Read it before moving on: this is a view, not a copy. */
  static Columns of(ResultSet rows) {
    return new Columns() {
      @Override
      public String getString(int column) {
        return read(() -> rows.getString(column + 1));
      }

      @Override
      public Long getLong(int column) {
        return read(() -> {
          long value = rows.getLong(column + 1);
          return rows.wasNull() ? null : value;
        });
      }

      @Override
      public Integer getInteger(int column) {
        return read(() -> {
          int value = rows.getInt(column + 1);
          return rows.wasNull() ? null : value;
        });
      }

      @Override
      public boolean bool(int column) {
        return read(() -> rows.getBoolean(column + 1));
      }
    };
  }

  /** A JDBC read; mappers are plain functions, so its checked exception travels unchecked. */
  private static <T> T read(ColumnRead<T> read) {
    try {
      return read.get();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One JDBC getter call. */
  interface ColumnRead<T> {
    T get() throws SQLException;
  }
}
