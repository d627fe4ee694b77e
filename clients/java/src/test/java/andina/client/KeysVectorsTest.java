package andina.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** keys.json: public keys, key ids, key files, the Ed25519 -> X25519 conversion and box keys. */
class KeysVectorsTest {
  @Test
  void eachSeedGivesThePublishedPublicKeyKeyIdAndX25519Keys() {
    Vectors.KEYS.get("signers").properties().forEach(entry -> {
      JsonNode published = entry.getValue();
      SignerKey key = Vectors.key(entry.getKey());

      assertEquals(published.get("public_key").asText(), Base64.getEncoder().encodeToString(key.publicKey()));
      assertEquals(published.get("key_id").asText(), key.keyId());
      assertArrayEquals(Base64.getDecoder().decode(published.get("key_file").asText()), Vectors.hex(published.get("seed_hex")));
      assertEquals(published.get("x25519_secret_hex").asText(), Vectors.hex(key.x25519Secret()));
      assertEquals(published.get("x25519_public_hex").asText(), Vectors.hex(Keys.x25519Public(key.publicKey())));
    });
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
  void theDirectoryNamesEachSignersKeyByItsKeyId() {
    KeyDirectory directory = Vectors.directory();

    Vectors.KEYS.get("signers").properties().forEach(entry -> assertArrayEquals(
        Vectors.key(entry.getKey()).publicKey(), directory.key(entry.getKey(), entry.getValue().get("key_id").asText())));
  }
}
