package andina.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** How an FIU names accounts, parties and transfers on the bus: HMAC-SHA256 under the network key. */
public final class Refs {
  private final String keyId;
  private final byte[] secret;

  public Refs(String keyId, byte[] secret) {
    this.keyId = keyId;
    this.secret = secret.clone();
  }

  public String account(String country, String bank, String number) {
    return ref(normalised("account", country, bank, number));
  }

  public String party(String country, String idType, String value) {
    return ref(normalised("party", country, idType, value));
  }

  public String transfer(String endToEndReference) {
    return ref(normalised("transfer", "", endToEndReference));
  }

  /** Letters and digits only, upper case, compatibility-decomposed (accents and marks drop out). */
  static String compact(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    return decomposed.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
  }

  static String normalised(String kind, String country, String... parts) {
    List<String> fields = new ArrayList<>(List.of(kind, compact(country)));
    for (String part : parts) {
      String core = compact(part);
      if (core.isEmpty()) throw new IllegalArgumentException("an empty " + kind + " identifier cannot be hashed");
      fields.add(core);
    }
    return String.join("|", fields);
  }

  private String ref(String normalised) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return keyId + ":" + HexFormat.of().formatHex(hmac.doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
