package andina.client;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * NaCl's box, opening side: X25519, HSalsa20 and XSalsa20-Poly1305 (crypto_box_open_easy). The
 * boxed bytes are the 24-byte nonce, the 16-byte Poly1305 tag, then the ciphertext.
 */
public final class Box {
  private static final int NONCE = 24;
  private static final int TAG = 16;
  private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

  private final byte[] key;

  /** The box between our X25519 secret and their X25519 public key (crypto_box_beforenm). */
  public Box(byte[] ourSecret, byte[] theirPublic) {
    byte[] shared = new byte[32];
    new X25519PrivateKeyParameters(ourSecret, 0)
        .generateSecret(new X25519PublicKeyParameters(theirPublic, 0), shared, 0);
    this.key = hsalsa20(shared, new byte[16]);
  }

  public byte[] key() {
    return key.clone();
  }

  /** The plaintext of {@code nonce || tag || ciphertext}; IllegalArgumentException if forged. */
  public byte[] open(byte[] boxed) {
    if (boxed.length < NONCE + TAG) throw new IllegalArgumentException("too short to be a box");
    XSalsa20Engine stream = new XSalsa20Engine();
    stream.init(false, new ParametersWithIV(new KeyParameter(key), Arrays.copyOf(boxed, NONCE)));
    byte[] macKey = new byte[32];
    stream.processBytes(new byte[32], 0, 32, macKey, 0); // the first 32 bytes of the stream
    Poly1305 mac = new Poly1305();
    mac.init(new KeyParameter(macKey));
    int start = NONCE + TAG;
    mac.update(boxed, start, boxed.length - start);
    byte[] tag = new byte[TAG];
    mac.doFinal(tag, 0);
    if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(boxed, NONCE, start))) {
      throw new IllegalArgumentException("the box does not open with this key (forged or not ours)");
    }
    byte[] plain = new byte[boxed.length - start];
    stream.processBytes(boxed, start, plain.length, plain, 0);
    return plain;
  }

  /** HSalsa20 (the XSalsa20 paper, section 2): Salsa20's 20 rounds, no feed-forward, 8 words out. */
  static byte[] hsalsa20(byte[] key, byte[] input) {
    int[] x = new int[16];
    x[0] = SIGMA[0];
    x[5] = SIGMA[1];
    x[10] = SIGMA[2];
    x[15] = SIGMA[3];
    for (int i = 0; i < 4; i++) {
      x[1 + i] = littleEndian(key, 4 * i);
      x[11 + i] = littleEndian(key, 16 + 4 * i);
      x[6 + i] = littleEndian(input, 4 * i);
    }
    for (int round = 0; round < 20; round += 2) {
      quarter(x, 0, 4, 8, 12); // columns
      quarter(x, 5, 9, 13, 1);
      quarter(x, 10, 14, 2, 6);
      quarter(x, 15, 3, 7, 11);
      quarter(x, 0, 1, 2, 3); // rows
      quarter(x, 5, 6, 7, 4);
      quarter(x, 10, 11, 8, 9);
      quarter(x, 15, 12, 13, 14);
    }
    int[] words = {x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9]};
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      for (int b = 0; b < 4; b++) out[4 * i + b] = (byte) (words[i] >>> (8 * b));
    }
    return out;
  }

  private static void quarter(int[] x, int a, int b, int c, int d) {
    x[b] ^= Integer.rotateLeft(x[a] + x[d], 7);
    x[c] ^= Integer.rotateLeft(x[b] + x[a], 9);
    x[d] ^= Integer.rotateLeft(x[c] + x[b], 13);
    x[a] ^= Integer.rotateLeft(x[d] + x[c], 18);
  }

  private static int littleEndian(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff)
        | (bytes[offset + 1] & 0xff) << 8
        | (bytes[offset + 2] & 0xff) << 16
        | (bytes[offset + 3] & 0xff) << 24;
  }
}
