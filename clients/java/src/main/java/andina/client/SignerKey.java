package andina.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A signer's Ed25519 private key (its 32-byte RFC 8032 seed) and what derives from it. */
public final class SignerKey {
  private final String signer;
  private final Ed25519PrivateKeyParameters key;
  private final byte[] publicKey;

  public SignerKey(String signer, byte[] seed) {
    this.signer = signer;
    this.key = new Ed25519PrivateKeyParameters(seed, 0);
    this.publicKey = key.generatePublicKey().getEncoded();
  }

  /** The key file {@code <keys>/<signer>.key}: the seed in base64. */
  public static SignerKey load(Path keysDir, String signer) throws IOException {
    String text = Files.readString(keysDir.resolve(signer + ".key"), StandardCharsets.US_ASCII);
    return new SignerKey(signer, Base64.getDecoder().decode(text.strip()));
  }

  /**
   * The signer's current key, then the previous ones a rotation kept ({@code
   * <keys>/previous/<signer>.<key id>.key}), which still open what was sealed for them.
   */
  public static List<SignerKey> loadAll(Path keysDir, String signer) throws IOException {
    List<SignerKey> keys = new ArrayList<>(List.of(load(keysDir, signer)));
    Path previous = keysDir.resolve("previous");
    if (Files.isDirectory(previous)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(previous, signer + ".*.key")) {
        for (Path file : files) {
          String text = Files.readString(file, StandardCharsets.US_ASCII);
          keys.add(new SignerKey(signer, Base64.getDecoder().decode(text.strip())));
        }
      }
    }
    return keys;
  }

  public String signer() {
    return signer;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String keyId() {
    return Keys.keyId(publicKey);
  }

  /** The X25519 secret key that opens what is sealed for this key. */
  public byte[] x25519Secret() {
    return Keys.x25519Secret(key.getEncoded());
  }

  /** Adds {@code signer}, {@code keyid} and {@code signature} to the event; returns its wire bytes. */
  public byte[] sign(ObjectNode event) {
    event.put("signer", signer);
    event.put("keyid", keyId());
    event.remove("signature");
    Ed25519Signer ed25519 = new Ed25519Signer();
    ed25519.init(true, key);
    byte[] canonical = Canonical.of(event);
    ed25519.update(canonical, 0, canonical.length);
    event.put("signature", Base64.getEncoder().encodeToString(ed25519.generateSignature()));
    return Json.bytes(event);
  }
}
