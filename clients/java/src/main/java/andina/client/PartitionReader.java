package andina.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one partition of one topic (assigned, no consumer group), as a country's agency reads its
 * own partition of a deliveries topic.
 */
public final class PartitionReader implements AutoCloseable {
  private final TopicPartition partition;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private int refused;

  public PartitionReader(Connection connection, String topic, int partition) {
    this.partition = new TopicPartition(topic, partition);
    Properties props = connection.properties();
    props.put("enable.auto.commit", "false");
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(this.partition));
  }

  public long endOffset() {
    return consumer.endOffsets(List.of(partition)).get(partition);
  }

  /**
   * The first delivery from offset {@code start} on that opens and matches {@code wanted}, within
   * {@code within}. Records that do not open are skipped and counted ({@link #refused()}).
   */
  public Optional<ObjectNode> await(DeliveryOpener opener, long start, Predicate<ObjectNode> wanted, Duration within) {
    consumer.seek(partition, start);
    Instant deadline = Instant.now().plus(within);
    while (Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
        try {
          ObjectNode event = opener.open(record.value());
          if (wanted.test(event)) return Optional.of(event);
        } catch (Refused e) {
          refused++;
        }
      }
    }
    return Optional.empty();
  }

  /** How many records {@link #await} could not open. */
  public int refused() {
    return refused;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
