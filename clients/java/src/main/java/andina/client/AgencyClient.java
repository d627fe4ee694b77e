package andina.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One agency of one country: builds events, signs them with the country's key and submits them. */
public final class AgencyClient implements AutoCloseable {
  public static final String CONTENT_TYPE = "application/cloudevents+json";

  private final SignerKey key;
  private final Network network;
  private final String agency;
  private final KafkaProducer<byte[], byte[]> producer;

  public AgencyClient(Connection connection, SignerKey key, Network network, String agency) {
    this.key = key;
    this.network = network;
    this.agency = agency;
    Properties props = connection.properties();
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public String country() {
    return key.signer();
  }

  /** A new event from this agency starting a conversation. */
  public ObjectNode event(String type, JsonNode data, String handling) {
    return Events.agencyEvent(country(), agency, type, data, handling, null, null);
  }

  /** A new event in the conversation {@code correlationId}, caused by the event {@code causationId}. */
  public ObjectNode reply(String type, JsonNode data, String handling, UUID correlationId, UUID causationId) {
    return Events.agencyEvent(country(), agency, type, data, handling, correlationId, causationId);
  }

  /** Signs the event and sends it to the service's submissions topic, on this country's partition. */
  public RecordMetadata submit(String service, ObjectNode event) throws InterruptedException, ExecutionException {
    byte[] wire = key.sign(event);
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
        network.topic(service, "submissions"),
        network.partitionOf(country()),
        country().getBytes(StandardCharsets.US_ASCII),
        wire);
    record.headers().add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII));
    return producer.send(record).get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
