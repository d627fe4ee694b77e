package andina.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** signatures.json: each event verifies, and signing it again gives the same signature. */
class SignaturesVectorsTest {
  static Stream<Named<JsonNode>> cases() {
    return Vectors.cases(Vectors.file("signatures.json").get("cases"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theEventVerifiesAndSignsToThePublishedSignature(JsonNode c) {
    ObjectNode event = Json.parse(Vectors.utf8(c.get("wire")));
    Vectors.directory().verify(event);
    assertEquals(c.get("canonical_hex").asText(), Vectors.hex(Canonical.of(event)));

    ObjectNode unsigned = event.deepCopy();
    unsigned.remove(List.of("signer", "keyid", "signature"));
    Vectors.key(c.get("signer").asText(), c.get("key_id").asText()).sign(unsigned);

    assertEquals(c.get("signature").asText(), unsigned.get("signature").asText());
    assertEquals(c.get("key_id").asText(), unsigned.get("keyid").asText());
  }
}
