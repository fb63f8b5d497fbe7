package org.borderwatch.ingest.cot;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.borderwatch.TestNode;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A TAK client as ATAK behaves on a streaming TCP connection: it writes CoT and reads the server's stream, split on
 * {@code </event>} as TAK clients split it, each event parsed with the JDK's own DOM parser (not ours).
 */
public final class TakClient implements AutoCloseable {

    private final NetSocket socket;
    private final List<Element> seen = new CopyOnWriteArrayList<>();
    private final Promise<Void> closed = Promise.promise();
    private final StringBuilder pending = new StringBuilder();
    private Buffer partial = Buffer.buffer();

    private TakClient(NetSocket socket) {
        this.socket = socket;
        socket.handler(this::received);
        socket.closeHandler(v -> closed.tryComplete());
    }

    public static TakClient connect(Vertx vertx, int port) throws Exception {
        return new TakClient(TestNode.await(vertx.createNetClient().connect(port, "127.0.0.1")));
    }

    /**
     * Connects with {@code client}, e.g. one speaking TLS with a client certificate; the caller keeps it open. The
     * handlers go on in the connect callback, so a server that closes at once (a refused certificate) is seen closing.
     */
    public static TakClient connect(NetClient client, int port) throws Exception {
        return TestNode.await(client.connect(port, "127.0.0.1").map(TakClient::new));
    }

    public void send(String xml) throws Exception {
        TestNode.await(socket.write(xml));
    }

    public void auth(String username, String password, String uid) throws Exception {
        send("<auth><cot username=\"" + username + "\" password=\"" + password + "\" uid=\"" + uid + "\"/></auth>");
    }

    private synchronized void received(Buffer data) {
        partial.appendBuffer(data);
        // Keep an incomplete UTF-8 tail for the next read.
        int usable = partial.length();
        while (usable > 0 && (partial.getByte(usable - 1) & 0xC0) == 0x80) {
            usable--;
        }
        if (usable > 0 && (partial.getByte(usable - 1) & 0x80) != 0) {
            usable--;
        }
        pending.append(partial.getString(0, usable, "UTF-8"));
        partial = partial.getBuffer(usable, partial.length());
        int end;
        while ((end = pending.indexOf("</event>")) >= 0) {
            String xml = pending.substring(0, end + "</event>".length()).strip();
            pending.delete(0, end + "</event>".length());
            try {
                Element event = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
                seen.add(event);
            } catch (Exception e) {
                throw new IllegalStateException("the server sent CoT the JDK cannot parse: " + xml, e);
            }
        }
    }

    /** The first event received so far or within 10 s that matches, whatever the order they arrived in. */
    public Element await(Predicate<Element> wanted, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (Element event : seen) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " within 10 s; saw " + seen.size() + " events");
    }

    /** Every event received so far. */
    public List<Element> seen() {
        return seen;
    }

    public static Predicate<Element> uid(String uid) {
        return e -> uid.equals(e.getAttribute("uid"));
    }

    public static Predicate<Element> type(String type) {
        return e -> type.equals(e.getAttribute("type"));
    }

    public static Element child(Element event, String name) {
        return (Element) event.getElementsByTagName(name).item(0);
    }

    /** Stops reading, as a client on a choked link: the server's writes back up. */
    public void pause() {
        socket.pause();
    }

    public void resume() {
        socket.resume();
    }

    /** Completes when the server closes the connection. */
    public void awaitClosed() throws Exception {
        TestNode.await(closed.future());
    }

    public boolean isClosed() {
        return closed.future().isComplete();
    }

    @Override
    public void close() throws Exception {
        TestNode.await(socket.close());
    }
}
