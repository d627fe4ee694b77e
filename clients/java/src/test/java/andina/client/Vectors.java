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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/** The conformance vectors of docs/conformance/ (the folder is the system property andina.conformance.dir). */
final class Vectors {
  static final Path DIR = Path.of(System.getProperty("andina.conformance.dir", "../../docs/conformance"));
  /** The network's published registry of countries, docs/reference/countries.json. */
  static final Path COUNTRIES = DIR.resolve("../reference/countries.json");

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

  static List<String> signers() {
    return KEYS.get("signers").properties().stream().map(Map.Entry::getKey).toList();
  }

  /** The published keys of {@code signer}: current first, then a previous one still accepted. TEST ONLY. */
  static List<JsonNode> published(String signer) {
    JsonNode entry = KEYS.get("signers").get(signer);
    return entry.has("previous") ? List.of(entry, entry.get("previous")) : List.of(entry);
  }

  static List<SignerKey> keys(String signer) {
    return published(signer).stream().map(e -> new SignerKey(signer, hex(e.get("seed_hex")))).toList();
  }

  static SignerKey key(String signer) {
    return keys(signer).get(0);
  }

  static SignerKey key(String signer, String keyId) {
    return keys(signer).stream().filter(k -> k.keyId().equals(keyId)).findFirst().orElseThrow();
  }

  static KeyDirectory directory() {
    return KeyDirectory.of(KEYS.get("directory"));
  }
}
