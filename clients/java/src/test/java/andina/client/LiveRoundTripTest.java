package andina.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One round trip on the running network over TLS, as two agency systems: PE raises a FLASH alert
 * to CO, CO opens it and acknowledges, PE opens the acknowledgement (then closes the alert).
 *
 * <p>Reads the local stack's state folder (ANDINA_STACK_STATE_DIR: kafka/tls/ca.pem, keys/, and
 * kafka/credentials.json unless ANDINA_STACK_KAFKA_CREDENTIALS_FILE names it) and the TLS listener
 * (ANDINA_KAFKA_TLS_BOOTSTRAP, default 127.0.0.1:9094), from system properties or the environment.
 * Skipped when they are not there; tests/integration/test_java_client.py runs it with the stack up.
 */
class LiveRoundTripTest {
  static final String RAISED = "andina.alerts.alert-raised.v1";
  static final String DELIVERED = "andina.alerts.alert-delivered.v1";
  static final String ACKNOWLEDGED = "andina.alerts.alert-acknowledged.v1";
  static final String ACK_RECEIVED = "andina.alerts.acknowledgement-received.v1";
  static final String CLOSED = "andina.alerts.alert-closed.v1";
  static final Duration PATIENCE = Duration.ofSeconds(60);

  static String setting(String name, String fallback) {
    String value = System.getProperty(name, System.getenv(name));
    return value == null || value.isBlank() ? fallback : value;
  }

  static boolean listening(String bootstrap) {
    String[] hostPort = bootstrap.split(",")[0].split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void peRaisesAFlashAlertToCoThatCoOpensAndAcknowledgesAndPeSeesIt() throws Exception {
    String state = setting("ANDINA_STACK_STATE_DIR", null);
    String bootstrap = setting("ANDINA_KAFKA_TLS_BOOTSTRAP", "127.0.0.1:9094");
    assumeTrue(state != null && Files.isDirectory(Path.of(state)), "no local stack: ANDINA_STACK_STATE_DIR unset");
    assumeTrue(listening(bootstrap), "the stack's TLS listener " + bootstrap + " does not answer");
    Path credentials = Path.of(setting("ANDINA_STACK_KAFKA_CREDENTIALS_FILE", state + "/kafka/credentials.json"));
    Stack stack = new Stack(Path.of(state), credentials, bootstrap);

    try (AgencyClient pe = stack.client("PE", "dirincri");
        AgencyClient co = stack.client("CO", "dijin");
        PartitionReader peInbox = stack.deliveries("PE");
        PartitionReader coInbox = stack.deliveries("CO")) {
      long peStart = peInbox.endOffset();
      long coStart = coInbox.endOffset();

      ObjectNode alert = Json.MAPPER.createObjectNode()
          .put("priority", "FLASH")
          .put("category", "missing-person")
          .put("title", "Menor desaparecida, posible cruce por Ipiales (Java client)")
          .put("facts", "Niña de 9 años, vista por última vez en Tumbes a las 21:10 con un adulto no identificado.")
          .put("acknowledge_by", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10).toString());
      alert.putArray("recipients").add("CO");
      ObjectNode raised = pe.event(RAISED, alert, "h2");
      pe.submit("alerts", raised);
      String alertId = raised.get("id").asText();

      ObjectNode delivered = coInbox.await(stack.opener("CO"), coStart, about(DELIVERED, alertId), PATIENCE)
          .orElseThrow(() -> new AssertionError("CO did not receive the alert within " + PATIENCE + stack.hint()));
      assertEquals("PE", delivered.get("origin").asText());
      assertEquals("alerts", delivered.get("signer").asText());
      assertEquals("FLASH", delivered.get("data").get("priority").asText());
      assertEquals(alert.get("facts"), delivered.get("data").get("facts"));

      ObjectNode ack = Json.MAPPER.createObjectNode().put("alert_id", alertId).put("by", "Subt. A. Rojas, DIJIN (Java)");
      co.submit("alerts", co.reply(ACKNOWLEDGED, ack, "h0", UUID.fromString(alertId),
          UUID.fromString(delivered.get("id").asText())));

      ObjectNode received = peInbox.await(stack.opener("PE"), peStart, about(ACK_RECEIVED, alertId), PATIENCE)
          .orElseThrow(() -> new AssertionError("PE did not see CO's acknowledgement within " + PATIENCE + stack.hint()));
      assertEquals("CO", received.get("data").get("country").asText());
      assertEquals("Subt. A. Rojas, DIJIN (Java)", received.get("data").get("by").asText());
      assertTrue(received.get("data").get("seconds_after_raise").asDouble() >= 0);

      // leave nothing open on the running network
      pe.submit("alerts", pe.event(CLOSED,
          Json.MAPPER.createObjectNode().put("alert_id", alertId).put("reason", "Java client round trip done"), "h0"));
    }
  }

  static Predicate<ObjectNode> about(String type, String alertId) {
    return event -> event.get("type").asText().equals(type)
        && alertId.equals(event.path("data").path("alert_id").asText(null));
  }

  /** The local stack as an agency system sees it: its TLS listener, users, authority and keys. */
  record Stack(Path state, Path credentials, String bootstrap) {
    Connection connection(String country) throws IOException {
      JsonNode users = Json.MAPPER.readTree(Files.readAllBytes(credentials)).get("users");
      String user = "agency-" + country.toLowerCase(Locale.ROOT);
      return new Connection(bootstrap, user, users.get(user).asText(), state.resolve("kafka/tls/ca.pem"));
    }

    /** Where to look when the network does not answer: the alerts service handles the round trip. */
    String hint() {
      return ": is the stack's alerts service running, with its store? (" + state.resolve("logs/alerts.log") + ")";
    }

    Network network() throws IOException {
      return Network.load(Vectors.COUNTRIES, "andina");
    }

    AgencyClient client(String country, String agency) throws IOException {
      return new AgencyClient(connection(country), SignerKey.load(state.resolve("keys"), country), network(), agency);
    }

    PartitionReader deliveries(String country) throws IOException {
      Network network = network();
      return new PartitionReader(connection(country), network.topic("alerts", "deliveries"), network.partitionOf(country));
    }

    DeliveryOpener opener(String country) throws IOException {
      return new DeliveryOpener(SignerKey.loadAll(state.resolve("keys"), country),
          KeyDirectory.load(state.resolve("keys/directory.json")));
    }
  }
}
