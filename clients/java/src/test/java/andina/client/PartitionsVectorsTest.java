package andina.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** partitions.json: the published registry of countries gives each country its published partition. */
class PartitionsVectorsTest {
  static final JsonNode PUBLISHED = Vectors.file("partitions.json");

  @Test
  void eachCountryHasItsPublishedPartition() throws IOException {
    Network network = Network.load(Vectors.COUNTRIES, "andina");

    PUBLISHED.get("countries").properties().forEach(
        entry -> assertEquals(entry.getValue().asInt(), network.partitionOf(entry.getKey()), entry.getKey()));
    assertEquals(PUBLISHED.get("countries").size(), network.partitions().size());
  }

  @Test
  void eachTopicHasItsPublishedName() {
    Network network = new Network(Map.of(), "andina");

    PUBLISHED.get("topics").properties().forEach(service -> service.getValue().properties().forEach(
        stream -> assertEquals(stream.getValue().asText(), network.topic(service.getKey(), stream.getKey()))));
  }
}
