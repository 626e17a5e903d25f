package dev.basilica.testfleet;

/**
 * This machine cannot run a test fleet (not root, a tool missing, no Debian archive to build from).
 * Tests turn it into a skipped test with its message; every other failure of the harness is a failure.
 */
public final class FleetUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public FleetUnavailableException(String message) {
    super(message);
  }
}
