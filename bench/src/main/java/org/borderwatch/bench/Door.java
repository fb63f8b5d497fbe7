package org.borderwatch.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the node's front doors as devices use it. {@link #send} delivers the fixes of one request (one fix, or a
 * batch for {@link Kind#HTTP_BATCH}) and completes when the door acknowledges them (202, 200, PUBACK); CoT has no
 * acknowledgement, so its send completes once written.
 */
abstract class Door {

    enum Kind {
        HTTP_SINGLE("HTTP, one position per request"), HTTP_BATCH("HTTP, batches"), OSMAND("OsmAnd"),
        MQTT("MQTT QoS 1"), COT("CoT over TCP");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** Positions per {@link #send}. */
    abstract int positionsPerSend();

    /** Sends the fixes; completes on their acknowledgement, fails on anything else. */
    abstract Future<Void> send(List<Fleet.Fix> fixes);

    /** Connections a device keeps open are made here (MQTT, CoT), for units {@code 0 … units-1}. */
    Future<Void> open(int units) {
        return Future.succeededFuture();
    }

    abstract Future<Void> close();

    /** Ports of the node (or of a baseline server speaking HTTP). */
    record Ports(int http, int osmand, int mqtt, int cot) {
    }

    static Door create(Vertx vertx, Kind kind, Ports ports, int connections, int batch, String adminToken) {
        return switch (kind) {
            case HTTP_SINGLE -> new Http(vertx, ports.http(), connections, 1, null);
            case HTTP_BATCH -> new Http(vertx, ports.http(), connections, batch, adminToken);
            case OSMAND -> new OsmAnd(vertx, ports.osmand(), connections);
            case MQTT -> new Mqtt(vertx, ports.mqtt());
            case COT -> new Cot(vertx, ports.cot());
        };
    }

    static HttpClientAgent httpClient(Vertx vertx, int port, int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                        .setKeepAlive(true).setIdleTimeout(120),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** {@code POST /api/v1/positions}: one object with the unit's device key, or an array of them as admin. */
    static final class Http extends Door {
        private final HttpClientAgent http;
        private final int batch;
        private final String adminToken;

        Http(Vertx vertx, int port, int connections, int batch, String adminToken) {
            this.http = httpClient(vertx, port, connections);
            this.batch = batch;
            this.adminToken = adminToken;
        }

        @Override
        int positionsPerSend() {
            return batch;
        }

        @Override
        Future<Void> send(List<Fleet.Fix> fixes) {
            StringBuilder body = new StringBuilder(fixes.size() * 120);
            String token;
            if (adminToken == null) {
                fixes.get(0).json(body);
                token = Fleet.key(fixes.get(0).unit());
            } else {
                body.append('[');
                for (int i = 0; i < fixes.size(); i++) {
                    if (i > 0) {
                        body.append(',');
                    }
                    fixes.get(i).json(body);
                }
                body.append(']');
                token = adminToken;
            }
            Buffer buffer = Buffer.buffer(body.toString());
            return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/positions")
                            .putHeader("Authorization", "Bearer " + token)
                            .putHeader("Content-Type", "application/json"))
                    .compose(request -> request.send(buffer))
                    .compose(response -> response.body().compose(b -> response.statusCode() / 100 == 2
                            ? Future.succeededFuture()
                            : Future.failedFuture("HTTP " + response.statusCode() + " " + b.toString()
                            .substring(0, Math.min(100, b.length())))));
        }

        @Override
        Future<Void> close() {
            return http.close();
        }
    }

    /** OsmAnd as Traccar Client sends it: a POST with an empty body and the fix in the query string. */
    static final class OsmAnd extends Door {
        private final HttpClientAgent http;

        OsmAnd(Vertx vertx, int port, int connections) {
            this.http = httpClient(vertx, port, connections);
        }

        @Override
        int positionsPerSend() {
            return 1;
        }

        @Override
        Future<Void> send(List<Fleet.Fix> fixes) {
            Fleet.Fix fix = fixes.get(0);
            String uri = "/?id=" + Fleet.key(fix.unit()) + "&timestamp=" + fix.timeMs() + "&lat=" + fix.lat()
                    + "&lon=" + fix.lon() + "&speed=24.3&bearing=90.0&altitude=12.0&accuracy=5.0&batt=80";
            return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(uri))
                    .compose(request -> request.send())
                    .compose(response -> response.body().compose(b -> response.statusCode() == 200
                            ? Future.succeededFuture()
                            : Future.failedFuture("HTTP " + response.statusCode())));
        }

        @Override
        Future<Void> close() {
            return http.close();
        }
    }

    /** One MQTT client per unit (username the unit, password its key), QoS 1: done on PUBACK. */
    static final class Mqtt extends Door {
        private final Vertx vertx;
        private final int port;
        private final List<MqttClient> clients = new ArrayList<>();
        private final List<Map<Integer, Promise<Void>>> pending = new ArrayList<>();

        Mqtt(Vertx vertx, int port) {
            this.vertx = vertx;
            this.port = port;
        }

        @Override
        Future<Void> open(int units) {
            List<Future<?>> connects = new ArrayList<>();
            for (int u = 0; u < units; u++) {
                MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setUsername(Fleet.unitId(u))
                        .setPassword(Fleet.key(u)).setClientId("bench-" + u).setMaxInflightQueue(64)
                        .setAutoKeepAlive(true));
                Map<Integer, Promise<Void>> waiting = new HashMap<>();
                // Both handlers run on the client's context; a PUBACK that beats the publish's own future is kept.
                client.publishCompletionHandler(id -> {
                    Promise<Void> done = waiting.remove(id);
                    if (done != null) {
                        done.tryComplete();
                    } else {
                        waiting.put(id, null);
                    }
                });
                clients.add(client);
                pending.add(waiting);
                connects.add(client.connect(port, "127.0.0.1"));
            }
            return Future.all(connects).mapEmpty();
        }

        @Override
        int positionsPerSend() {
            return 1;
        }

        @Override
        Future<Void> send(List<Fleet.Fix> fixes) {
            Fleet.Fix fix = fixes.get(0);
            StringBuilder body = new StringBuilder(120);
            fix.json(body);
            Promise<Void> done = Promise.promise();
            Map<Integer, Promise<Void>> waiting = pending.get(fix.unit());
            clients.get(fix.unit()).publish("units/" + Fleet.unitId(fix.unit()) + "/position",
                            Buffer.buffer(body.toString()), MqttQoS.AT_LEAST_ONCE, false, false)
                    .onSuccess(id -> {
                        if (waiting.containsKey(id) && waiting.get(id) == null) {
                            waiting.remove(id);
                            done.tryComplete();
                        } else {
                            waiting.put(id, done);
                        }
                    })
                    .onFailure(done::tryFail);
            return done.future();
        }

        @Override
        Future<Void> close() {
            return Future.all(clients.stream().map(c -> c.isConnected() ? c.disconnect()
                    : Future.<Void>succeededFuture()).toList()).mapEmpty();
        }
    }

    /**
     * One TCP connection per unit, each event's uid its device key; what the node feeds back (every unit's moves, as a
     * TAK server does) is read and dropped. No acknowledgement exists: a send is done once written.
     */
    static final class Cot extends Door {
        private final Vertx vertx;
        private final int port;
        private final List<NetSocket> sockets = new ArrayList<>();
        long bytesFedBack;

        Cot(Vertx vertx, int port) {
            this.vertx = vertx;
            this.port = port;
        }

        @Override
        Future<Void> open(int units) {
            var client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
            List<Future<NetSocket>> connects = new ArrayList<>();
            for (int u = 0; u < units; u++) {
                connects.add(client.connect(port, "127.0.0.1").onSuccess(s -> s.handler(b -> bytesFedBack +=
                        b.length())));
            }
            return Future.all(connects).map(all -> {
                for (int i = 0; i < connects.size(); i++) {
                    sockets.add(connects.get(i).result());
                }
                return null;
            });
        }

        @Override
        int positionsPerSend() {
            return 1;
        }

        @Override
        Future<Void> send(List<Fleet.Fix> fixes) {
            Fleet.Fix fix = fixes.get(0);
            String time = fix.iso();
            String stale = java.time.Instant.ofEpochMilli(fix.timeMs() + 60_000).toString();
            String event = "<event version=\"2.0\" uid=\"" + Fleet.key(fix.unit()) + "\" type=\"a-f-G-U-C\" how=\"m-g\""
                    + " time=\"" + time + "\" start=\"" + time + "\" stale=\"" + stale + "\"><point lat=\""
                    + fix.lat() + "\" lon=\"" + fix.lon() + "\" hae=\"12.0\" ce=\"5.0\" le=\"9999999.0\"/>"
                    + "<detail><track course=\"90.0\" speed=\"12.5\"/></detail></event>\n";
            return sockets.get(fix.unit()).write(Buffer.buffer(event));
        }

        @Override
        Future<Void> close() {
            return Future.all(sockets.stream().map(NetSocket::close).toList()).mapEmpty();
        }
    }
}
