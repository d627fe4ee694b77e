package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** New events from an agency: the CloudEvents attributes the network requires, unsigned. */
public final class Events {
  private Events() {}

  /**
   * A new event of {@code type} from {@code agency} of {@code country}. It starts a conversation
   * (correlation id = its own id) unless {@code correlationId} is given.
   */
  public static ObjectNode agencyEvent(
      String country, String agency, String type, JsonNode data, String handling, UUID correlationId, UUID causationId) {
    UUID id = UUID.randomUUID();
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", id.toString());
    event.put("source", "/countries/" + country + "/agencies/" + agency);
    event.put("type", type);
    event.put("time", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    event.put("datacontenttype", "application/json");
    event.set("data", data);
    event.put("origin", country);
    event.put("handling", handling);
    event.put("correlationid", (correlationId == null ? id : correlationId).toString());
    if (causationId != null) event.put("causationid", causationId.toString());
    return event;
  }
}
