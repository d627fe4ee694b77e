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
  static final String FLOATS = "floats-as-a-verifier-sees-them";

  static Stream<Named<JsonNode>> cases() {
    return Vectors.cases(Vectors.file("canonical.json").get("cases"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theCanonicalFormIsThePublishedBytes(JsonNode c) {
    JsonNode received = Json.parse(Vectors.utf8(c.get("received")));
    if (c.get("name").asText().equals(FLOATS)) {
      // this client signs no float (the contract keeps decimals in strings) and says so
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Canonical.of(received));
      assertEquals(true, refused.getMessage().contains("decimals as strings"), refused.getMessage());
      return;
    }

    assertEquals(c.get("canonical_hex").asText(), Vectors.hex(Canonical.of(received)));
  }
}
