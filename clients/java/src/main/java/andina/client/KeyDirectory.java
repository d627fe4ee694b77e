package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The network's key directory ({@code directory.json}): every signer's kind and accepted public
 * keys, the current one first. Verifies signatures as the services do.
 */
public final class KeyDirectory {
  /** A signer's kind and its accepted public keys by key id, current first. */
  record Signer(String kind, Map<String, byte[]> keys) {}

  private final Map<String, Signer> signers;

  KeyDirectory(Map<String, Signer> signers) {
    this.signers = signers;
  }

  public static KeyDirectory load(Path file) throws IOException {
    return of(Json.MAPPER.readTree(Files.readAllBytes(file)));
  }

  /** A directory from the file's JSON: {"signers": {name: {kind, public_key, previous_keys?}}}. */
  public static KeyDirectory of(JsonNode directory) {
    Map<String, Signer> signers = new LinkedHashMap<>();
    directory.get("signers").properties().forEach(entry -> {
      Map<String, byte[]> keys = new LinkedHashMap<>();
      JsonNode signer = entry.getValue();
      addKey(keys, signer.get("public_key").asText());
      signer.path("previous_keys").forEach(previous -> addKey(keys, previous.asText()));
      signers.put(entry.getKey(), new Signer(signer.get("kind").asText(), keys));
    });
    return new KeyDirectory(signers);
  }

  private static void addKey(Map<String, byte[]> keys, String base64) {
    byte[] key = Base64.getDecoder().decode(base64);
    // Only points of the prime-order group: for a small-order key anyone can make a signature verify.
    if (key.length != 32 || !Ed25519.validatePublicKeyFull(key, 0)) {
      throw new IllegalArgumentException("a public key in the directory is not a valid Ed25519 key: " + base64);
    }
    keys.put(Keys.keyId(key), key);
  }

  /** Whether {@code signer} is a service of the directory (only services seal deliveries). */
  public boolean isService(String signer) {
    Signer entry = signers.get(signer);
    return entry != null && entry.kind().equals("service");
  }

  /** The public key {@code keyId} of {@code signer}; Refused (unknown-signer) if not accepted. */
  public byte[] key(String signer, String keyId) {
    Signer entry = signers.get(signer);
    if (entry == null) throw new Refused(Refused.UNKNOWN_SIGNER, signer + " is not in the key directory");
    byte[] key = keyId == null ? entry.keys().values().iterator().next() : entry.keys().get(keyId);
    if (key == null) throw new Refused(Refused.UNKNOWN_SIGNER, "key " + keyId + " of " + signer + " is not accepted");
    return key;
  }

  /**
   * Checks the event's signature and that its signer may speak for it: a country only as its
   * own {@code origin}, a service only for its own types. Refused with the reason otherwise.
   */
  public void verify(JsonNode event) {
    String signer = event.path("signer").asText(null);
    String keyId = event.path("keyid").asText(null);
    Signer entry = signer == null ? null : signers.get(signer);
    if (entry == null) throw new Refused(Refused.UNKNOWN_SIGNER, signer + " is not in the key directory");
    Iterable<byte[]> candidates = keyId == null ? entry.keys().values() : List.of(key(signer, keyId));
    if (entry.kind().equals("country") && !signer.equals(event.path("origin").asText(null))) {
      throw new Refused(Refused.ORIGIN_MISMATCH, "origin is not the signing country " + signer);
    }
    if (entry.kind().equals("service") && !event.path("type").asText("").startsWith("andina." + signer + ".")) {
      throw new Refused(Refused.ORIGIN_MISMATCH, "service " + signer + " may not sign " + event.path("type"));
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(event.path("signature").asText(""));
    } catch (IllegalArgumentException e) {
      throw new Refused(Refused.BAD_SIGNATURE, "signature of " + signer + " is not base64");
    }
    byte[] canonical = Canonical.of(event);
    for (byte[] key : candidates) {
      Ed25519Signer ed25519 = new Ed25519Signer();
      ed25519.init(false, new Ed25519PublicKeyParameters(key, 0));
      ed25519.update(canonical, 0, canonical.length);
      if (ed25519.verifySignature(signature)) return;
    }
    throw new Refused(Refused.BAD_SIGNATURE, "signature does not verify for " + signer);
  }
}
