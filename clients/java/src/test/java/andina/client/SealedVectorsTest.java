package andina.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** sealed.json: each delivery verifies and opens, with the recipient's key, to the published event. */
class SealedVectorsTest {
  static Stream<Named<JsonNode>> cases() {
    return Vectors.cases(Vectors.file("sealed.json").get("cases"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theDeliveryOpensToThePublishedEvent(JsonNode c) {
    ObjectNode outer = Json.parse(Vectors.utf8(c.get("wire")));
    DeliveryOpener opener = new DeliveryOpener(Vectors.keys(c.get("recipient").asText()), Vectors.directory());

    ObjectNode opened = opener.open(Vectors.utf8(c.get("wire")));

    ObjectNode expected = ((ObjectNode) c.get("opened")).deepCopy();
    for (String name : List.of("signer", "keyid", "signature")) expected.set(name, outer.get(name));
    assertEquals(expected, opened);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theBoxOpensToThePublishedPlaintext(JsonNode c) {
    JsonNode outer = Json.parse(Vectors.utf8(c.get("wire")));
    SignerKey recipient = Vectors.key(c.get("recipient").asText(), outer.get("sealkeyid").asText());
    byte[] sender = Keys.x25519Public(Vectors.key(c.get("sender").asText(), outer.get("keyid").asText()).publicKey());

    byte[] plaintext = new Box(recipient.x25519Secret(), sender).open(Vectors.hex(c.get("box_hex")));

    assertArrayEquals(Vectors.utf8(c.get("plaintext")), plaintext);
  }
}
