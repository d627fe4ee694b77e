package andina.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * refusals.json. What a client itself judges (JSON, signer, signature) it refuses for the
 * published reason; what only a service judges (size, schema, record key, clock, catalog) it
 * lets through this check, and the signature still holds, so that reason is the service's.
 */
class RefusalsVectorsTest {
  static final JsonNode REFUSALS = Vectors.file("refusals.json");
  static final Set<String> CLIENT_REASONS =
      Set.of(Refused.MALFORMED_JSON, Refused.UNKNOWN_SIGNER, Refused.ORIGIN_MISMATCH, Refused.BAD_SIGNATURE);
  static final Set<String> BEFORE_THE_SIGNATURE = Set.of("oversized", "invalid-envelope", "unknown-country");

  static Stream<Named<JsonNode>> submissions() {
    return Vectors.cases(REFUSALS.get("submissions"));
  }

  static Stream<Named<JsonNode>> deliveries() {
    return Vectors.cases(REFUSALS.get("deliveries"));
  }

  @ParameterizedTest
  @MethodSource("submissions")
  void eachBadSubmissionIsRefusedForItsReasonOrHasAValidSignature(JsonNode c) {
    String reason = c.get("reason").asText();
    Runnable check = () -> Vectors.directory().verify(Json.parse(Vectors.value(c)));
    if (CLIENT_REASONS.contains(reason)) {
      Refused refused = assertThrows(Refused.class, check::run);
      assertEquals(reason, refused.reason(), refused.getMessage());
    } else if (!BEFORE_THE_SIGNATURE.contains(reason)) {
      check.run(); // wrong-key, stale, unknown-type, invalid-payload: signed correctly
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
