package dev.herald.launcher;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that its own shutdown hook does not switch logging off: Herald's shutdown hook
 * (a Channel server draining, a ring manager stepping down) runs at the same time and its log lines matter.
 * Installed by {@link HeraldMain} through {@code java.util.logging.manager} before anything logs.
 */
public final class ShutdownLogManager extends LogManager {
  @Override
  public void reset() {
    // The JDK resets logging from a shutdown-hook thread of this class; everything else resets as usual.
    if (!Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName() + "$")) {
      super.reset();
    }
  }
}
