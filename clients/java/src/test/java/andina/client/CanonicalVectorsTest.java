package andina.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** canonical.json: each event as received canonicalises to the published bytes. */
class CanonicalVectorsTest {
  static Stream<Named<JsonNode>> cases() {
    return Vectors.cases(Vectors.file("canonical.json").get("cases"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theCanonicalFormIsThePublishedBytes(JsonNode c) {
    JsonNode received = Json.parse(Vectors.utf8(c.get("received")));
    if (!c.get("signable").asBoolean()) {
      // numbers whose canonical form no standard fixes: this client refuses to sign them, and says so
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Canonical.of(received));
      assertEquals(true, refused.getMessage().contains("cannot be signed"), refused.getMessage());
      return;
    }

    assertEquals(c.get("canonical_hex").asText(), Vectors.hex(Canonical.of(received)));
  }
}
