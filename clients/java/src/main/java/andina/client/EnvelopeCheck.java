package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A record checked before it is sent, by the rules of docs/integrating.md (steps 3 to 5) and in
 * the services' order: size, JSON, envelope, membership, record key, signature, freshness. A
 * record failing one is {@link Refused} with the reason the service would give. What only the
 * service can judge is not checked: whether it accepts the type, the payload against its schema,
 * and its own rules (ask a service's {@code POST /validate}, step 11).
 */
public final class EnvelopeCheck {
  /** The services' default size limit (ANDINA_MAX_EVENT_BYTES): 256 KiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 262_144;
  /** How old and how far ahead of the service's clock an event's time may be (step 3, {@code time}). */
  public static final Duration MAX_AGE = Duration.ofHours(72);
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private static final String UUID = "[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}";
  private static final Pattern RFC_3339 =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})");

  /** An attribute of the envelope: whether it must be there, and what value it may have. */
  private record Rule(boolean required, Predicate<JsonNode> valid) {}

  private static final Map<String, Rule> ATTRIBUTES = Map.ofEntries(
      Map.entry("specversion", new Rule(true, text("1\\.0"))),
      Map.entry("id", new Rule(true, text(UUID))),
      Map.entry("source", new Rule(true, text("/(countries/[A-Z]{2}/agencies|services)/[a-z0-9][a-z0-9-]*"))),
      Map.entry("type", new Rule(true, text("andina\\.[a-z][a-z-]*\\.[a-z][a-z0-9-]*\\.v[1-9][0-9]*"))),
      Map.entry("time", new Rule(true, node -> node.isTextual() && isTime(node.textValue()))),
      Map.entry("datacontenttype", new Rule(false, text("application/json"))),
      Map.entry("data", new Rule(true, JsonNode::isObject)),
      Map.entry("origin", new Rule(true, text("[A-Z]{2}"))),
      Map.entry("handling", new Rule(true, text("h[0-3]"))),
      Map.entry("correlationid", new Rule(true, text(UUID))),
      Map.entry("causationid", new Rule(false, text(UUID).or(JsonNode::isNull))),
      Map.entry("signer", new Rule(true, text("[a-zA-Z0-9][a-zA-Z0-9-]{1,40}"))),
      Map.entry("keyid", new Rule(false, text("[0-9a-f]{16}").or(JsonNode::isNull))),
      Map.entry("signature", new Rule(true, text(".{86,88}"))));

  private final Network network;
  private final KeyDirectory directory;
  private final int maxEventBytes;
  private final Clock clock;

  /** Judges freshness by {@code clock}: the service judges by its own, so keep yours synchronised. */
  public EnvelopeCheck(Network network, KeyDirectory directory, int maxEventBytes, Clock clock) {
    this.network = network;
    this.directory = directory;
    this.maxEventBytes = maxEventBytes;
    this.clock = clock;
  }

  /** The event of the record {@code value} keyed by {@code recordKey} (null: no key); Refused if it would be. */
  public ObjectNode check(String recordKey, byte[] value) {
    if (value.length > maxEventBytes) {
      throw new Refused(Refused.OVERSIZED, value.length + " bytes exceeds the limit of " + maxEventBytes);
    }
    ObjectNode event = Json.parse(value); // malformed-json, or invalid-envelope when not an object
    checkAttributes(event);
    String origin = event.get("origin").textValue();
    if (!network.partitions().containsKey(origin)) {
      throw new Refused(Refused.UNKNOWN_COUNTRY, "origin " + origin + " is not a member country");
    }
    checkKey(recordKey, origin, event.get("signer").textValue());
    directory.verify(event); // unknown-signer, origin-mismatch, bad-signature
    checkFresh(OffsetDateTime.parse(event.get("time").textValue()));
    return event;
  }

  private static void checkAttributes(ObjectNode event) {
    for (var attribute : event.properties()) {
      Rule rule = ATTRIBUTES.get(attribute.getKey());
      if (rule == null) throw invalid("the envelope defines no attribute " + attribute.getKey());
      if (!rule.valid().test(attribute.getValue())) throw invalid(attribute.getKey() + " is not valid: " + attribute.getValue());
    }
    ATTRIBUTES.forEach((name, rule) -> {
      if (rule.required() && !event.has(name)) throw invalid(name + " is missing");
    });
  }

  private static Refused invalid(String detail) {
    return new Refused(Refused.INVALID_ENVELOPE, detail);
  }

  private static Predicate<JsonNode> text(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return node -> node.isTextual() && pattern.matcher(node.textValue()).matches();
  }

  /** RFC 3339 with an offset (or Z), and a real date and time. */
  private static boolean isTime(String text) {
    try {
      return RFC_3339.matcher(text).matches() && OffsetDateTime.parse(text) != null;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** A country's event is keyed by its origin; a service's by the member country it concerns. */
  private void checkKey(String recordKey, String origin, String signer) {
    boolean byCountry = signer.equals(origin);
    if (byCountry ? !origin.equals(recordKey) : recordKey == null || !network.partitions().containsKey(recordKey)) {
      String wanted = byCountry ? "the origin " + origin : "a member country";
      throw new Refused(Refused.WRONG_KEY, "record key " + recordKey + " is not " + wanted);
    }
  }

  private void checkFresh(OffsetDateTime time) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    if (time.isBefore(now.minus(MAX_AGE))) {
      throw new Refused(Refused.STALE, "event time " + time + " is older than " + MAX_AGE.toHours() + " h");
    }
    if (time.isAfter(now.plus(MAX_SKEW))) throw new Refused(Refused.STALE, "event time " + time + " is ahead of the clock");
  }
}
