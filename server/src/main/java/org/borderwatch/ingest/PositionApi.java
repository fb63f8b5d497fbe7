package org.borderwatch.ingest;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.borderwatch.auth.AuthApi;
import org.borderwatch.http.Responses;
import org.borderwatch.track.Position;

import java.time.Clock;
import java.util.List;

/** {@code POST /api/v1/positions}: one object, a JSON array, or NDJSON; 202 once every position is durable. */
public final class PositionApi {

    private final PositionIngest ingest;
    private final PositionParser parser = new PositionParser(Clock.systemUTC());

    public PositionApi(PositionIngest ingest) {
        this.ingest = ingest;
    }

    public void mount(Router router) {
        router.post("/api/v1/positions").handler(this::post);
    }

    private void post(RoutingContext ctx) {
        List<Position> positions = parser.parse(ctx.body().buffer(), ctx.request().getHeader("Content-Type"));
        Responses.reply(ctx, 202, ingest.submit(AuthApi.principal(ctx), positions)
                .map(n -> new JsonObject().put("accepted", n)));
    }
}
