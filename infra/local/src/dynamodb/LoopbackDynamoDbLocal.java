import java.lang.reflect.Field;

/**
 * Starts DynamoDB Local as its own ServerRunner does, but listening on 127.0.0.1 only: the jar
 * has no option for the address, and its Jetty server binds every interface by default. It exits
 * when its standard input closes: the Node process that started it holds the other end, so when
 * that process dies, even killed or crashed with no chance to stop it, no orphan keeps the port.
 */
public final class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    Thread parent = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Nothing is sent: the stream only ends.
        }
      } catch (java.io.IOException closed) {
        // Closed all the same.
      }
      Runtime.getRuntime().halt(0);
    });
    parent.setDaemon(true);
    parent.start();
    Object proxy = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner")
        .getMethod("createServerFromCommandLineArgs", String[].class)
        .invoke(null, (Object) args);
    Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object server = field.get(proxy);
    for (Object connector : (Object[]) server.getClass().getMethod("getConnectors").invoke(server)) {
      connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
    }
    proxy.getClass().getMethod("start").invoke(proxy);
    proxy.getClass().getMethod("join").invoke(proxy);
  }
}
