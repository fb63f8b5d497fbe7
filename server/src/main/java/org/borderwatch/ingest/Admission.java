package org.borderwatch.ingest;

import org.borderwatch.config.Config;
import org.borderwatch.http.ApiException;
import org.borderwatch.ops.Metrics;
import org.borderwatch.track.WriteLoad;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admission control in front of position ingest, decided on what arrives before a body: a request (an HTTP request,
 * an MQTT publish, a CoT event) is let in only while its device has fewer than
 * {@code BW_DEVICE_MAX_INFLIGHT_REQUESTS} requests and less than {@code BW_DEVICE_MAX_INFLIGHT_BYTES} of body bytes in
 * flight (else 429), and while the node has fewer than {@code BW_MAX_INFLIGHT_REQUESTS} requests and less than
 * {@code BW_MAX_INFLIGHT_BYTES} in flight and its commit queue holds less than the writer commits in
 * {@code BW_MAX_QUEUE_WAIT_MS} (at least one full group commit, so commits stay full; at most {@code BW_QUEUE_MAX}
 * positions; else 503).
 * A refusal costs a header's worth of CPU, so under overload the node spends itself on what it accepted: goodput
 * stays near the peak, and an accepted request waits about the queue wait plus one commit, whatever the offered load.
 * The byte bounds are "less than": a body larger than a bound goes in whenever there is room at all, so no size the
 * door accepts is refused forever (the bound is then exceeded by at most one body).
 *
 * <p>Shared by every door's verticle, so thread-safe: one lock, taken twice per request.
 */
public final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    /** The delay a refused client is asked to wait: the queue this protects drains in about that time. */
    public static final long RETRY_AFTER_SECONDS = 1;
    private static final long REPORT_EVERY_MS = 10_000;
    /** Device keys are a few dozen characters: a longer one is no key, and is not kept whole in memory. */
    private static final int MAX_DEVICE_CHARS = 128;

    /**
     * The bounds; {@code enabled} false ({@code BW_ADMISSION=off}) lets everything in, as before admission control
     * (the commit queue then still answers 503 when full, after the body was read).
     */
    public record Limits(boolean enabled, int nodeRequests, long nodeBytes, int deviceRequests, long deviceBytes,
                         long queueWaitMillis, int queueFloorPositions, int queueMaxPositions) {

        public static Limits of(Config config) {
            return new Limits(config.admission(), config.maxInflightRequests(), config.maxInflightBytes(),
                    config.deviceMaxInflightRequests(), config.deviceMaxInflightBytes(), config.maxQueueWaitMillis(),
                    config.batchMaxPositions(), config.queueMaxPositions());
        }
    }

    /** What one device has in flight. */
    private static final class Load {
        int requests;
        long bytes;
    }

    private final Limits limits;
    private final WriteLoad writes;
    private final Map<String, Load> devices = new HashMap<>();
    private final LongAdder refusedNode;
    private final LongAdder refusedDevice;
    private int requests;
    private long bytes;
    private long lastReport;
    private long unreportedNode;
    private long unreportedDevice;

    /** {@code writes}: this node's commit queue and pace. */
    public Admission(Limits limits, WriteLoad writes, Metrics metrics) {
        this.limits = limits;
        this.writes = writes;
        this.refusedNode = metrics.counter("bw_admission_refused_node_total",
                "Position requests refused with 503 before their body was read: the node was at a bound");
        this.refusedDevice = metrics.counter("bw_admission_refused_device_total",
                "Position requests refused with 429 before their body was read: the device was at its bound");
        metrics.gauge("bw_admission_inflight_requests", "Position requests admitted and not yet answered",
                this::requests);
        metrics.gauge("bw_admission_inflight_bytes", "Body bytes of the position requests in flight", this::bytes);
        metrics.gauge("bw_admission_queue_bound_positions", "Commit queue length beyond which new requests are refused",
                this::queueBound);
    }

    /**
     * Lets a request in, or throws the answer for the client: 429 when {@code device} (null: not known before the
     * body) is at its bound, 503 when the node is, both with {@code Retry-After} and a {@code reason}.
     * {@code declaredBytes} is the body's declared length (0 when unknown; grow the ticket as bytes arrive).
     */
    public Ticket admit(String claimed, long declaredBytes) {
        String device = bounded(claimed);
        String refusal = tryAdmit(device, declaredBytes);
        if (refusal == null) {
            return new Ticket(device, Math.max(0, declaredBytes));
        }
        boolean byDevice = refusal.startsWith("device");
        count(byDevice);
        String why = switch (refusal) {
            case "device-requests" -> "this device has " + limits.deviceRequests() + " requests in flight";
            case "device-bytes" -> "this device has " + limits.deviceBytes() + " bytes in flight";
            case "node-requests" -> "the node has " + limits.nodeRequests() + " position requests in flight";
            case "node-bytes" -> "the node has " + limits.nodeBytes() + " bytes of positions in flight";
            default -> "the node's commit queue holds more than " + limits.queueWaitMillis() + " ms of work";
        };
        throw ApiException.overloaded(byDevice ? 429 : 503, why + "; retry after " + RETRY_AFTER_SECONDS + " s",
                refusal, RETRY_AFTER_SECONDS);
    }

    /** Like {@link #admit}, for a door that waits instead of answering: null when the request may not go in now. */
    public Ticket poll(String claimed, long declaredBytes) {
        String device = bounded(claimed);
        return tryAdmit(device, declaredBytes) == null ? new Ticket(device, Math.max(0, declaredBytes)) : null;
    }

    private static String bounded(String device) {
        return device == null || device.length() <= MAX_DEVICE_CHARS ? device : device.substring(0, MAX_DEVICE_CHARS);
    }

    /** The reason a request may not go in (taking its share when it may), or null when it went in. */
    private synchronized String tryAdmit(String device, long declared) {
        long size = Math.max(0, declared);
        if (limits.enabled()) {
            Load load = device == null ? null : devices.get(device);
            if (load != null && load.requests >= limits.deviceRequests()) {
                return "device-requests";
            }
            if (load != null && load.bytes >= limits.deviceBytes()) {
                return "device-bytes";
            }
            if (requests >= limits.nodeRequests()) {
                return "node-requests";
            }
            if (bytes >= limits.nodeBytes()) {
                return "node-bytes";
            }
            if (writes.queued() >= queueBound()) {
                return "commit-queue";
            }
        }
        requests++;
        bytes += size;
        if (device != null) {
            Load load = devices.computeIfAbsent(device, d -> new Load());
            load.requests++;
            load.bytes += size;
        }
        return null;
    }

    /** Positions the commit queue may hold before new requests are held back: the writer's pace times the wait. */
    long queueBound() {
        long byPace = (long) (writes.pace() * limits.queueWaitMillis() / 1000);
        return Math.min(limits.queueMaxPositions(), Math.max(limits.queueFloorPositions(), byPace));
    }

    private synchronized void charge(String device, long more) {
        bytes += more;
        Load load = device == null ? null : devices.get(device);
        if (load != null) {
            load.bytes += more;
        }
    }

    private synchronized void free(String device, long size) {
        requests--;
        bytes -= size;
        Load load = device == null ? null : devices.get(device);
        if (load != null) {
            load.requests--;
            load.bytes -= size;
            if (load.requests == 0) {
                devices.remove(device); // the map holds only devices with something in flight
            }
        }
    }

    private synchronized long requests() {
        return requests;
    }

    private synchronized long bytes() {
        return bytes;
    }

    /** Refusals are the outside world's doing: counted always, logged as one line per ten seconds at most. */
    private void count(boolean byDevice) {
        (byDevice ? refusedDevice : refusedNode).increment();
        long node;
        long device;
        synchronized (this) {
            if (byDevice) {
                unreportedDevice++;
            } else {
                unreportedNode++;
            }
            long now = System.currentTimeMillis();
            if (now - lastReport < REPORT_EVERY_MS) {
                return;
            }
            lastReport = now;
            node = unreportedNode;
            device = unreportedDevice;
            unreportedNode = 0;
            unreportedDevice = 0;
        }
        LOG.warn("overload: refused {} position requests at the node's bounds (503) and {} at a device's (429) "
                + "since the last report; {} requests, {} bytes in flight", node, device, requests(), bytes());
    }

    /** One admitted request's share of the bounds; released exactly once, however the request ends. */
    public final class Ticket {

        private final String device;
        private long size;
        private boolean released;

        private Ticket(String device, long size) {
            this.device = device;
            this.size = size;
        }

        /**
         * Counts body bytes beyond the declared length (an unknown length, an inflated body). Never refuses: what is
         * being read was let in, and the next request sees the total.
         */
        public void grow(long total) {
            if (!released && total > size) {
                charge(device, total - size);
                size = total;
            }
        }

        public void release() {
            if (!released) {
                released = true;
                free(device, size);
            }
        }
    }
}
