package org.borderwatch.history;

import io.vertx.ext.web.RoutingContext;
import org.borderwatch.http.ApiException;

import java.util.Locale;

/**
 * The answer format of a track or zone export (API.md §11): {@code ?format=} when given, else the first media type in
 * {@code Accept} that the server writes, else JSON (for tracks, GeoJSON served as application/json).
 */
enum Format {
    JSON("application/json", null),
    GEOJSON(GeoJsonWriter.CONTENT_TYPE, "geojson"),
    GPX(GpxWriter.CONTENT_TYPE, "gpx"),
    KML(KmlWriter.CONTENT_TYPE, "kml"),
    CSV(CsvWriter.CONTENT_TYPE, "csv");

    private final String mediaType;
    private final String name;

    Format(String mediaType, String name) {
        this.mediaType = mediaType;
        this.name = name;
    }

    String mediaType() {
        return mediaType;
    }

    /** The file extension, for the name a browser saves an export under. */
    String extension() {
        return name == null ? "json" : name;
    }

    static Format of(RoutingContext ctx) {
        String asked = ctx.request().getParam("format");
        if (asked != null) {
            for (Format format : values()) {
                if (format.name != null && format.name.equals(asked.trim().toLowerCase(Locale.ROOT))) {
                    return format;
                }
            }
            throw ApiException.badRequest("format must be one of geojson, gpx, kml, csv", "format");
        }
        String accept = ctx.request().getHeader("Accept");
        if (accept != null) {
            for (String range : accept.split(",")) {
                String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                for (Format format : values()) {
                    if (format.mediaType.equals(type)) {
                        return format;
                    }
                }
            }
        }
        return JSON;
    }
}
