package dev.herald.launcher;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The roles a JVM can run; {@code all} is every one of them. */
public enum Role {
  ADMIN, CHANNEL, PRESENCE, WEBAPP, GATEWAY;

  public static Set<Role> parse(String name) {
    if (name.equalsIgnoreCase("all")) {
      return EnumSet.allOf(Role.class);
    }
    try {
      return EnumSet.of(Role.valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown role " + name + " (expected all, webapp, admin, channel, presence, gateway)");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
