package andina.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** keys.json: public keys, key ids, key files, the Ed25519 -> X25519 conversion and box keys. */
class KeysVectorsTest {
  @Test
  void eachSeedGivesThePublishedPublicKeyKeyIdAndX25519Keys() {
    for (String signer : Vectors.signers()) {
      List<JsonNode> published = Vectors.published(signer);
      List<SignerKey> keys = Vectors.keys(signer);
      for (int i = 0; i < published.size(); i++) {
        JsonNode entry = published.get(i);
        SignerKey key = keys.get(i);

        assertEquals(entry.get("public_key").asText(), Base64.getEncoder().encodeToString(key.publicKey()));
        assertEquals(entry.get("key_id").asText(), key.keyId());
        assertArrayEquals(Base64.getDecoder().decode(entry.get("key_file").asText()), Vectors.hex(entry.get("seed_hex")));
        assertEquals(entry.get("x25519_secret_hex").asText(), Vectors.hex(key.x25519Secret()));
        assertEquals(entry.get("x25519_public_hex").asText(), Vectors.hex(Keys.x25519Public(key.publicKey())));
      }
    }
  }

  @Test
  void eachBoxKeyIsHsalsa20OfTheX25519Agreement() {
    for (JsonNode pair : Vectors.KEYS.get("box_keys")) {
      byte[] secret = Vectors.key(pair.get("secret_of").asText()).x25519Secret();
      byte[] theirs = Keys.x25519Public(Vectors.key(pair.get("public_of").asText()).publicKey());

      assertEquals(pair.get("box_key_hex").asText(), Vectors.hex(new Box(secret, theirs).key()), pair.toString());
    }
  }

  @Test
  void eachRefusedPublicKeyIsKeptOutOfTheDirectory() {
    for (JsonNode refused : Vectors.KEYS.get("refused_public_keys")) {
      JsonNode directory = Json.MAPPER.createObjectNode().set("signers", Json.MAPPER.createObjectNode().set(
          "PE", Json.MAPPER.createObjectNode().put("kind", "country").put("public_key", refused.get("public_key").asText())));

      assertThrows(IllegalArgumentException.class, () -> KeyDirectory.of(directory), refused.get("name").asText());
    }
  }

  @Test
  void theDirectoryNamesEachSignersKeyByItsKeyId() {
    KeyDirectory directory = Vectors.directory();

    for (String signer : Vectors.signers()) {
      for (SignerKey key : Vectors.keys(signer)) {
        assertArrayEquals(key.publicKey(), directory.key(signer, key.keyId()), signer + " " + key.keyId());
      }
    }
  }
}
