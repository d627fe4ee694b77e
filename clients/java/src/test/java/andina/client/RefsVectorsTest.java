package andina.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** refs.json: each account, party and transfer normalises and hashes to the published ref. */
class RefsVectorsTest {
  static final JsonNode REFS = Vectors.file("refs.json");
  static final Refs KEY = new Refs(
      REFS.get("network_key").get("key_id").asText(), Vectors.hex(REFS.get("network_key").get("secret_hex")));

  @Test
  void accounts() {
    for (JsonNode a : REFS.get("accounts")) {
      String country = a.get("country").asText();
      String bank = a.get("bank").asText();
      String number = a.get("number").asText();
      assertEquals(a.get("normalised").asText(), Refs.normalised("account", country, bank, number));
      assertEquals(a.get("ref").asText(), KEY.account(country, bank, number));
    }
  }

  @Test
  void parties() {
    for (JsonNode p : REFS.get("parties")) {
      String country = p.get("country").asText();
      String idType = p.get("id_type").asText();
      String value = p.get("value").asText();
      assertEquals(p.get("normalised").asText(), Refs.normalised("party", country, idType, value));
      assertEquals(p.get("ref").asText(), KEY.party(country, idType, value));
    }
  }

  @Test
  void transfers() {
    for (JsonNode t : REFS.get("transfers")) {
      String reference = t.get("end_to_end_reference").asText();
      assertEquals(t.get("normalised").asText(), Refs.normalised("transfer", "", reference));
      assertEquals(t.get("ref").asText(), KEY.transfer(reference));
    }
  }
}
