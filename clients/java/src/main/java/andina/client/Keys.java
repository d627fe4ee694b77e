package andina.client;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Key ids and the Ed25519 -> X25519 conversion of libsodium (crypto_sign_ed25519_*_to_curve25519). */
public final class Keys {
  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  private Keys() {}

  /** The first 16 hex digits of SHA-256 of the 32-byte public key. */
  public static String keyId(byte[] publicKey) {
    return HexFormat.of().formatHex(digest("SHA-256", publicKey)).substring(0, 16);
  }

  /** The X25519 secret: the first 32 bytes of SHA-512 of the Ed25519 seed, clamped. */
  public static byte[] x25519Secret(byte[] seed) {
    byte[] secret = Arrays.copyOf(digest("SHA-512", seed), 32);
    secret[0] &= (byte) 248;
    secret[31] &= 127;
    secret[31] |= 64;
    return secret;
  }

  /** The X25519 public key: Montgomery u = (1 + y) / (1 - y) of the Edwards point's y. */
  public static byte[] x25519Public(byte[] ed25519Public) {
    byte[] littleEndian = ed25519Public.clone();
    littleEndian[31] &= 127; // the top bit is the sign of x, not part of y
    BigInteger y = new BigInteger(1, reversed(littleEndian));
    BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
    byte[] bigEndian = u.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  private static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) out[i] = bytes[bytes.length - 1 - i];
    return out;
  }

  static byte[] digest(String algorithm, byte[] input) {
    try {
      return MessageDigest.getInstance(algorithm).digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
