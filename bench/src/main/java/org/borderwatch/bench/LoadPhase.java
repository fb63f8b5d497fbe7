package org.borderwatch.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * One load phase against a node: batched position requests, closed-loop (a fixed number of clients, each sending its
 * next request when the last is answered) or open-loop (requests started at a fixed rate whatever the answers, as
 * independent devices do). Only answers that arrive inside the measured window count; latency runs from a request's
 * intended start, so time a request waited in the load generator for a connection is counted (no coordinated
 * omission). In open loop refused requests are not retried (the offered rate stands for retries too); a closed-loop
 * client waits out a refusal's Retry-After before its next request, as a well-behaved device does.
 */
final class LoadPhase {

    /** What one phase measured. */
    record Result(String name, double offeredPerSecond, double acceptedPerSecond, long accepted, long rejected429,
                  long rejected503, long failed, long unanswered, double acceptedP50Ms, double acceptedP99Ms,
                  double acceptedMaxMs, double rejectedP50Ms, long peakRssBytes, double serverCpuPerSecond) {

        /** Refused or failed among the requests answered in the window (those still unanswered are apart). */
        double rejectedShare() {
            long answered = accepted + rejected429 + rejected503 + failed;
            return answered == 0 ? 0 : (rejected429 + rejected503 + failed) / (double) answered;
        }

        JsonObject toJson() {
            return new JsonObject().put("name", name).put("offeredPositionsPerSecond", round(offeredPerSecond))
                    .put("acceptedPositionsPerSecond", round(acceptedPerSecond))
                    .put("acceptedRequests", accepted).put("rejected429", rejected429).put("rejected503", rejected503)
                    .put("failed", failed).put("unanswered", unanswered)
                    .put("rejectedShare", Math.round(rejectedShare() * 1000) / 1000.0)
                    .put("acceptedLatencyP50Ms", round(acceptedP50Ms)).put("acceptedLatencyP99Ms", round(acceptedP99Ms))
                    .put("acceptedLatencyMaxMs", round(acceptedMaxMs)).put("rejectedLatencyP50Ms", round(rejectedP50Ms))
                    .put("peakRssMiB", peakRssBytes / (1024 * 1024))
                    .put("serverCpuCoresUsed", Math.round(serverCpuPerSecond * 100) / 100.0);
        }

        private static double round(double value) {
            return Math.round(value * 10) / 10.0;
        }
    }

    private final Vertx vertx;
    /** Every request is started and answered on this one context: the counters need no locks. */
    private final Context context;
    private final ServerProcess server;
    private final String token;
    private final LongFunction<Buffer> bodies;
    private final int positionsPerRequest;
    private final AtomicLong sequence;

    private final Histogram acceptedLatency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Histogram rejectedLatency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    private long windowStart;
    private long windowEnd;
    private long accepted;
    private long rejected429;
    private long rejected503;
    private long failed;
    private long outstanding;

    LoadPhase(Vertx vertx, ServerProcess server, String token, LongFunction<Buffer> bodies, int positionsPerRequest,
              AtomicLong sequence) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.server = server;
        this.token = token;
        this.bodies = bodies;
        this.positionsPerRequest = positionsPerRequest;
        this.sequence = sequence;
    }

    /** {@code clients} clients, each one request at a time, for {@code warmupS + seconds}; the last part measured. */
    Result closedLoop(String name, int clients, int warmupS, int seconds) throws Exception {
        HttpClientAgent http = client(clients);
        try {
            return run(name, 0, warmupS, seconds, http, () -> {
                for (int i = 0; i < clients; i++) {
                    closedLane(http);
                }
            });
        } finally {
            IngestBenchmark.await(http.close());
        }
    }

    /**
     * Requests started at {@code perSecond} for {@code warmupS + seconds}, over at most {@code connections}
     * connections (beyond them requests wait in the generator, and that wait counts in their latency).
     */
    Result openLoop(String name, double perSecond, int connections, int warmupS, int seconds) throws Exception {
        HttpClientAgent http = client(connections);
        try {
            return run(name, perSecond * positionsPerRequest, warmupS, seconds, http, () -> {
                long start = System.nanoTime();
                long[] started = {0};
                vertx.setPeriodic(1, id -> {
                    long now = System.nanoTime();
                    if (now >= windowEnd) {
                        vertx.cancelTimer(id);
                        return;
                    }
                    long due = (long) ((now - start) / 1e9 * perSecond);
                    while (started[0] < due) {
                        long intended = start + (long) (started[0] / perSecond * 1e9);
                        started[0]++;
                        send(http, intended, retryAfter -> { });
                    }
                });
            });
        } finally {
            IngestBenchmark.await(http.close());
        }
    }

    private HttpClientAgent client(int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(server.port).setIdleTimeout(120).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    private Result run(String name, double offered, int warmupS, int seconds, HttpClientAgent http, Runnable load)
            throws Exception {
        long now = System.nanoTime();
        windowStart = now + TimeUnit.SECONDS.toNanos(warmupS);
        windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
        double cpuBefore = 0;
        long peakRss = 0;
        context.runOnContext(v -> load.run());
        boolean measuring = false;
        while (System.nanoTime() < windowEnd) {
            Thread.sleep(200);
            if (!measuring && System.nanoTime() >= windowStart) {
                measuring = true;
                cpuBefore = server.cpuSeconds();
            }
            peakRss = Math.max(peakRss, server.rssBytes());
        }
        double cpu = (server.cpuSeconds() - cpuBefore) / seconds;
        // What is still on its way when the window closes is cut off, not waited for: its answer would come too late.
        Promise<long[]> counts = Promise.promise();
        context.runOnContext(v -> counts.complete(
                new long[] {accepted, rejected429, rejected503, failed, outstanding}));
        long[] c = IngestBenchmark.await(counts.future());
        double acceptedPerSecond = c[0] * (double) positionsPerRequest / seconds;
        return new Result(name, offered, acceptedPerSecond, c[0], c[1], c[2], c[3], c[4],
                ms(acceptedLatency, 50), ms(acceptedLatency, 99), acceptedLatency.getMaxValue() / 1000.0,
                ms(rejectedLatency, 50), peakRss, cpu);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** A closed-loop client: the next request when the last is answered, after its Retry-After when refused. */
    private void closedLane(HttpClientAgent http) {
        if (System.nanoTime() < windowEnd) {
            send(http, System.nanoTime(), retryAfter -> {
                if (retryAfter > 0) {
                    vertx.setTimer(retryAfter * 1000, id -> closedLane(http));
                } else {
                    closedLane(http);
                }
            });
        }
    }

    /**
     * One request; counted only when its answer arrives inside the window. Runs on the generator's context;
     * {@code then} gets the answer's Retry-After in seconds (0 when none).
     */
    private void send(HttpClientAgent http, long intended, LongConsumer then) {
        outstanding++;
        long[] retryAfter = {0};
        Buffer body = bodies.apply(sequence.getAndIncrement());
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/positions")
                        .putHeader("Authorization", "Bearer " + token)
                        .putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> {
                    retryAfter[0] = retryAfter(response.getHeader("Retry-After"));
                    return response.statusCode();
                }))
                .onComplete(ar -> {
                    outstanding--;
                    long done = System.nanoTime();
                    if (done >= windowStart && done < windowEnd) {
                        long micros = Math.max(1, (done - intended) / 1000);
                        int status = ar.succeeded() ? ar.result() : -1;
                        if (status == 202) {
                            accepted++;
                            acceptedLatency.recordValue(Math.min(micros, acceptedLatency.getHighestTrackableValue()));
                        } else {
                            rejectedLatency.recordValue(Math.min(micros, rejectedLatency.getHighestTrackableValue()));
                            if (status == 429) {
                                rejected429++;
                            } else if (status == 503) {
                                rejected503++;
                            } else {
                                failed++;
                            }
                        }
                    }
                    then.accept(retryAfter[0]);
                });
    }

    private static long retryAfter(String header) {
        try {
            return header == null ? 0 : Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
