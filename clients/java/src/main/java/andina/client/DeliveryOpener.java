package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks and opens the sealed deliveries on one country's partition: that a service signed it and
 * its signature, then that it is sealed for this country, then the box, then that the event inside
 * is one of that service's. A record that fails is Refused with its stable code (Refused).
 */
public final class DeliveryOpener {
  private static final Pattern SEALED_TYPE = Pattern.compile("^andina\\.[a-z][a-z-]*\\.sealed\\.v1$");
  private static final Set<String> ATTRIBUTES =
      Set.of("specversion", "id", "source", "type", "data_base64", "sealedfor", "sealkeyid", "signer", "keyid",
          "signature");

  private final String country;
  private final Map<String, byte[]> secrets = new LinkedHashMap<>();
  private final KeyDirectory directory;

  /** {@code keys}: the country's private keys, current first (a previous one opens older deliveries). */
  public DeliveryOpener(List<SignerKey> keys, KeyDirectory directory) {
    this.country = keys.get(0).signer();
    keys.forEach(key -> secrets.put(key.keyId(), key.x25519Secret()));
    this.directory = directory;
  }

  /** The delivered event, with the sealed event's signer, keyid and signature; Refused otherwise. */
  public ObjectNode open(byte[] value) {
    ObjectNode sealed = Json.parse(value);
    String type = sealed.path("type").asText("");
    if (!SEALED_TYPE.matcher(type).matches() || !ATTRIBUTES.equals(fieldNames(sealed))) {
      throw new Refused(Refused.UNOPENABLE, "not a sealed delivery: its attributes are " + fieldNames(sealed));
    }
    String service = sealed.get("signer").asText();
    if (!directory.isService(service)) {
      throw new Refused(Refused.NOT_A_SERVICE, service + " is not a service of the key directory");
    }
    try {
      directory.verify(sealed);
    } catch (Refused e) {
      throw new Refused(Refused.BAD_SIGNATURE, e.getMessage());
    }
    String sealedFor = sealed.get("sealedfor").asText();
    if (!sealedFor.equals(country)) {
      throw new Refused(Refused.NOT_SEALED_FOR_YOU, "sealed for " + sealedFor + ", not for " + country);
    }
    byte[] secret = secrets.get(sealed.get("sealkeyid").asText());
    if (secret == null) {
      throw new Refused(Refused.UNOPENABLE, "sealed for a key of " + country + " this opener does not hold");
    }
    byte[] sender = Keys.x25519Public(directory.key(service, sealed.get("keyid").asText()));
    ObjectNode event;
    try {
      event = Json.parse(new Box(secret, sender).open(Base64.getDecoder().decode(sealed.get("data_base64").asText())));
    } catch (IllegalArgumentException e) {
      throw new Refused(Refused.UNOPENABLE, "it does not open with " + country + "'s key: " + e.getMessage());
    }
    if (!event.path("type").asText("").startsWith("andina." + service + ".")) {
      throw new Refused(Refused.FOREIGN_TYPE, "the sealed event is not an event of " + service);
    }
    for (String name : List.of("signer", "keyid", "signature")) event.set(name, sealed.get(name));
    return event;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
