package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The member countries' fixed partitions and the topic names. A record's key is a country code
 * and its partition that country's index on every topic: always set it explicitly, a Kafka
 * client's default partitioner would hash the key elsewhere.
 */
public final class Network {
  private final Map<String, Integer> partitions;
  private final String namespace;

  public Network(Map<String, Integer> partitions, String namespace) {
    this.partitions = new TreeMap<>(partitions);
    this.namespace = namespace;
  }

  /** From the network's published registry of countries (docs/reference/countries.json). */
  public static Network load(Path countriesFile, String namespace) throws IOException {
    JsonNode registry = Json.MAPPER.readTree(Files.readAllBytes(countriesFile));
    Map<String, Integer> partitions = new TreeMap<>();
    registry.get("countries").forEach(c -> partitions.put(c.get("code").asText(), c.get("partition").asInt()));
    return new Network(partitions, namespace);
  }

  public int partitionOf(String country) {
    Integer partition = partitions.get(country);
    if (partition == null) throw new IllegalArgumentException("unknown country " + country + ": not a member");
    return partition;
  }

  public Map<String, Integer> partitions() {
    return Map.copyOf(partitions);
  }

  public String topic(String service, String stream) {
    return namespace + "." + service + "." + stream + ".v1";
  }
}
