package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/** The conformance vectors of docs/conformance/ (the folder is the system property andina.conformance.dir). */
final class Vectors {
  static final Path DIR = Path.of(System.getProperty("andina.conformance.dir", "../../docs/conformance"));

  private Vectors() {}

  static JsonNode file(String name) {
    try {
      return Json.MAPPER.readTree(Files.readAllBytes(DIR.resolve(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The elements of an array, each named by its "name" for the test report. */
  static Stream<Named<JsonNode>> cases(JsonNode array) {
    List<Named<JsonNode>> named = new ArrayList<>();
    array.forEach(c -> named.add(Named.of(c.path("name").asText("case " + named.size()), c)));
    return named.stream();
  }

  static byte[] hex(JsonNode node) {
    return HexFormat.of().parseHex(node.asText());
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] utf8(JsonNode node) {
    return node.asText().getBytes(StandardCharsets.UTF_8);
  }

  /** A record value given as "value" (UTF-8 text) or "value_base64". */
  static byte[] value(JsonNode c) {
    return c.has("value_base64") ? Base64.getDecoder().decode(c.get("value_base64").asText()) : utf8(c.get("value"));
  }

  static final JsonNode KEYS = file("keys.json");

  /** The published test key of {@code signer}. TEST ONLY. */
  static SignerKey key(String signer) {
    return new SignerKey(signer, hex(KEYS.get("signers").get(signer).get("seed_hex")));
  }

  static KeyDirectory directory() {
    return KeyDirectory.of(KEYS.get("directory"));
  }
}
