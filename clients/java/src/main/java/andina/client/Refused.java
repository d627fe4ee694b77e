package andina.client;

/** A record refused, with the network's reason label (the dead-letter reason where one applies). */
public final class Refused extends RuntimeException {
  public static final String MALFORMED_JSON = "malformed-json";
  public static final String INVALID_ENVELOPE = "invalid-envelope";
  public static final String UNKNOWN_SIGNER = "unknown-signer";
  public static final String ORIGIN_MISMATCH = "origin-mismatch";
  public static final String BAD_SIGNATURE = "bad-signature";
  /** A delivery this country cannot or must not open (no dead-letter reason: it stays unread). */
  public static final String UNOPENABLE = "unopenable";

  private final String reason;

  public Refused(String reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
