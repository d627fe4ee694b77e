package andina.client;

import java.nio.file.Path;
import java.util.Properties;

/**
 * How an agency system reaches the brokers: TLS (SASL_SSL) as its country's user
 * ({@code agency-<cc>}, SCRAM-SHA-512), trusting the network's certificate authority (PEM).
 */
public record Connection(String bootstrapServers, String username, String password, Path caFile) {
  public Properties properties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + quoted(username) + "\" password=\"" + quoted(password) + "\";");
    props.put("ssl.truststore.type", "PEM");
    props.put("ssl.truststore.location", caFile.toString());
    props.put("ssl.endpoint.identification.algorithm", "https"); // the host name is checked too
    return props;
  }

  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
