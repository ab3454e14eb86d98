package dev.herald.shared.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Compact binary encoding for bus messages: length-prefixed UTF-8 strings, fixed-width numbers. */
public final class Wire {
  private Wire() {}

  /** Writes fields in order onto a buffer. */
  public static final class Writer {
    private final Buffer out;

    public Writer(Buffer out) {
      this.out = out;
    }

    public Writer string(String value) {
      if (value == null) {
        out.appendInt(-1);
      } else {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.appendInt(bytes.length).appendBytes(bytes);
      }
      return this;
    }

    public Writer longValue(long value) {
      out.appendLong(value);
      return this;
    }

    public Writer intValue(int value) {
      out.appendInt(value);
      return this;
    }

    public Writer bool(boolean value) {
      out.appendByte(value ? (byte) 1 : (byte) 0);
      return this;
    }

    public Writer bytes(Buffer value) {
      out.appendInt(value.length()).appendBuffer(value);
      return this;
    }

    public Writer strings(List<String> values) {
      out.appendInt(values.size());
      for (String value : values) {
        string(value);
      }
      return this;
    }
  }

  /** Reads fields in the order they were written, advancing a cursor. */
  public static final class Reader {
    private final Buffer in;
    private int pos;

    public Reader(Buffer in, int pos) {
      this.in = in;
      this.pos = pos;
    }

    public String string() {
      int length = in.getInt(pos);
      pos += 4;
      if (length < 0) {
        return null;
      }
      String value = in.getString(pos, pos + length, "UTF-8");
      pos += length;
      return value;
    }

    public long longValue() {
      long value = in.getLong(pos);
      pos += 8;
      return value;
    }

    public int intValue() {
      int value = in.getInt(pos);
      pos += 4;
      return value;
    }

    public boolean bool() {
      return in.getByte(pos++) != 0;
    }

    public Buffer bytes() {
      int length = in.getInt(pos);
      pos += 4;
      Buffer value = in.getBuffer(pos, pos + length);
      pos += length;
      return value;
    }

    public List<String> strings() {
      int size = intValue();
      List<String> values = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        values.add(string());
      }
      return values;
    }

    public int position() {
      return pos;
    }
  }
}
