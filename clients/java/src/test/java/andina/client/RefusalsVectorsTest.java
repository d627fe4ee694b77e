package andina.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * refusals.json. {@link EnvelopeCheck}, at the vectors' clock and size limit, refuses each bad
 * submission for its published reason, except what only the service judges: whether it accepts
 * the type and the payload against the type's schema.
 */
class RefusalsVectorsTest {
  static final JsonNode REFUSALS = Vectors.file("refusals.json");
  /** Judged by the service's catalog and schemas (docs/integrating.md, step 11: POST /validate). */
  static final Set<String> ONLY_THE_SERVICE_JUDGES = Set.of("unknown-type", "invalid-payload");

  static Stream<Named<JsonNode>> submissions() {
    return Vectors.cases(REFUSALS.get("submissions"));
  }

  static Stream<Named<JsonNode>> deliveries() {
    return Vectors.cases(REFUSALS.get("deliveries"));
  }

  static EnvelopeCheck check() throws IOException {
    Clock now = Clock.fixed(OffsetDateTime.parse(REFUSALS.get("now").asText()).toInstant(), ZoneOffset.UTC);
    Network network = Network.load(Vectors.COUNTRIES, "andina");
    return new EnvelopeCheck(network, Vectors.directory(), REFUSALS.get("max_event_bytes").asInt(), now);
  }

  @ParameterizedTest
  @MethodSource("submissions")
  void eachBadSubmissionIsRefusedForItsReasonBeforeItIsSent(JsonNode c) throws IOException {
    String reason = c.get("reason").asText();
    Executable sending = () -> check().check(c.get("record_key").textValue(), Vectors.value(c));

    if (ONLY_THE_SERVICE_JUDGES.contains(reason)) {
      assertDoesNotThrow(sending); // well formed, keyed, signed and fresh: the service's catalog refuses it
    } else {
      Refused refused = assertThrows(Refused.class, sending);
      assertEquals(reason, refused.reason(), refused.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("deliveries")
  void eachBadDeliveryIsNotOpened(JsonNode c) {
    DeliveryOpener opener = new DeliveryOpener(Vectors.keys(c.get("opened_by").asText()), Vectors.directory());

    Refused refused = assertThrows(Refused.class, () -> opener.open(Vectors.value(c)));

    assertEquals(c.get("code").asText(), refused.reason(), refused.getMessage());
  }
}
