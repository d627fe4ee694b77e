package andina.client;

/** A record refused, with the network's reason label (the dead-letter reason where one applies). */
public final class Refused extends RuntimeException {
  /** Submissions the services refuse, by their dead-letter reasons (docs/integrating.md, step 10). */
  public static final String OVERSIZED = "oversized";
  public static final String MALFORMED_JSON = "malformed-json";
  public static final String INVALID_ENVELOPE = "invalid-envelope";
  public static final String UNKNOWN_COUNTRY = "unknown-country";
  public static final String WRONG_KEY = "wrong-key";
  public static final String UNKNOWN_SIGNER = "unknown-signer";
  public static final String ORIGIN_MISMATCH = "origin-mismatch";
  public static final String BAD_SIGNATURE = "bad-signature";
  public static final String STALE = "stale";
  /**
   * Deliveries this country must not open, by their stable codes (docs/integrating.md, step 7; no
   * dead-letter reason: they stay unread): signed by no service, outer signature broken, sealed
   * for another country, box not opening (or no sealed delivery at all), another service's event inside.
   */
  public static final String NOT_A_SERVICE = "not-a-service";
  public static final String NOT_SEALED_FOR_YOU = "not-sealed-for-you";
  public static final String UNOPENABLE = "unopenable";
  public static final String FOREIGN_TYPE = "foreign-type";

  private final String reason;

  public Refused(String reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
