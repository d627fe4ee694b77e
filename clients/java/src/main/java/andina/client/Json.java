package andina.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** One JSON mapper for the client: integers exact (never through a double), strict UTF-8. */
public final class Json {
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private Json() {}

  /** A record's bytes as a JSON object; {@link Refused} with malformed-json otherwise. */
  public static ObjectNode parse(byte[] value) {
    try {
      // Jackson would read invalid UTF-8 leniently: the network refuses it.
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      JsonNode node = MAPPER.readTree(text);
      if (node != null && hasLoneSurrogate(node)) {
        // Jackson decodes an unpaired "\\ud800" escape; it is no character, and the network refuses it.
        throw new Refused(Refused.MALFORMED_JSON, "a \\u escape is half of a surrogate pair");
      }
      if (node == null || !node.isObject()) {
        throw new Refused(Refused.INVALID_ENVELOPE, "a CloudEvent must be a JSON object");
      }
      return (ObjectNode) node;
    } catch (CharacterCodingException e) {
      throw new Refused(Refused.MALFORMED_JSON, "not UTF-8");
    } catch (JsonProcessingException e) {
      throw new Refused(Refused.MALFORMED_JSON, e.getOriginalMessage());
    }
  }

  private static boolean hasLoneSurrogate(JsonNode node) {
    if (node.isTextual()) return containsLoneSurrogate(node.textValue());
    for (var field : node.properties()) {
      if (containsLoneSurrogate(field.getKey()) || hasLoneSurrogate(field.getValue())) return true;
    }
    for (JsonNode element : node) {
      if (node.isArray() && hasLoneSurrogate(element)) return true;
    }
    return false;
  }

  private static boolean containsLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The compact JSON bytes of a node, as sent on the wire. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
