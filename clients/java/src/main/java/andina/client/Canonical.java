package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bytes a signature covers: the event without its top-level {@code signature}, keys sorted by
 * Unicode code point, no whitespace, UTF-8, only {@code "}, {@code \} and controls escaped
 * (docs/conformance/README.md). Floats and integers beyond 64 bits are refused: the network
 * serialises them in a form no standard fixes, so the contract keeps such numbers in strings.
 */
public final class Canonical {
  // Beyond these (signed 64-bit minimum, unsigned 64-bit maximum) the network reads a float.
  private static final BigInteger MIN_INTEGER = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_INTEGER = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

  private Canonical() {}

  /** The canonical bytes of an event (its JSON object, as parsed by {@link Json#parse}). */
  public static byte[] of(JsonNode event) {
    StringBuilder out = new StringBuilder();
    writeObject(event, out, true);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out, false);
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) out.append(',');
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new IllegalArgumentException(
              "a float (" + node + ") cannot be signed: send decimals as strings");
        }
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(MIN_INTEGER) < 0 || value.compareTo(MAX_INTEGER) > 0) {
          throw new IllegalArgumentException(
              "an integer beyond 64 bits (" + value + ") cannot be signed: send it as a string");
        }
        out.append(value);
      }
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new IllegalArgumentException("not JSON: " + node.getNodeType());
    }
  }

  private static void writeObject(JsonNode node, StringBuilder out, boolean topLevel) {
    if (!node.isObject()) throw new IllegalArgumentException("an event is a JSON object");
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      if (!(topLevel && name.equals("signature"))) names.add(name);
    }
    names.sort(Canonical::compareCodePoints);
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) out.append(',');
      writeString(names.get(i), out);
      out.append(':');
      write(node.get(names.get(i)), out);
    }
    out.append('}');
  }

  /** Code point order, which is UTF-8 byte order (String.compareTo is UTF-16 order: it differs). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) return Integer.compare(x, y);
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static void writeString(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          out.append(c).append(text.charAt(++i));
          continue;
        }
        throw new IllegalArgumentException("a lone surrogate is not text");
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
