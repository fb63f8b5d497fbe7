package org.borderwatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A valid PMTiles v3 archive holding one vector tile (z0) with one layer, {@code earth}, whose one polygon covers the
 * world: written per the PMTiles v3 specification (127-byte header, a root directory of one entry, empty metadata,
 * uncompressed), so a test needs no tile toolchain.
 */
public final class TinyPmtiles {

    public static final int HEADER_BYTES = 127;
    private static final int EXTENT = 4096;
    private static final byte NONE = 1;
    private static final byte MVT = 1;

    private TinyPmtiles() {
    }

    /** Writes the archive as {@code border.pmtiles} in {@code dir}. */
    public static Path write(Path dir) throws IOException {
        return Files.write(dir.resolve("border.pmtiles"), bytes());
    }

    public static byte[] bytes() {
        byte[] tile = earthTile();
        ByteArrayOutputStream directory = new ByteArrayOutputStream();
        varint(directory, 1); // entries
        varint(directory, 0); // tile id 0 (z0/0/0), as a delta from 0
        varint(directory, 1); // run length
        varint(directory, tile.length);
        varint(directory, 0 + 1); // offset 0 in the tile data, plus one
        byte[] dir = directory.toByteArray();
        byte[] metadata = "{}".getBytes(StandardCharsets.UTF_8);

        long dirOffset = HEADER_BYTES;
        long metadataOffset = dirOffset + dir.length;
        long tileOffset = metadataOffset + metadata.length;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put("PMTiles".getBytes(StandardCharsets.US_ASCII)).put((byte) 3);
        header.putLong(dirOffset).putLong(dir.length);
        header.putLong(metadataOffset).putLong(metadata.length);
        header.putLong(tileOffset).putLong(0); // no leaf directories
        header.putLong(tileOffset).putLong(tile.length);
        header.putLong(1).putLong(1).putLong(1); // addressed tiles, tile entries, tile contents
        header.put((byte) 1).put(NONE).put(NONE).put(MVT); // clustered, internal and tile compression, tile type
        header.put((byte) 0).put((byte) 0); // min and max zoom
        header.putInt(-1_800_000_000).putInt(-850_000_000).putInt(1_800_000_000).putInt(850_000_000);
        header.put((byte) 0).putInt(0).putInt(0); // centre zoom, longitude, latitude

        ByteBuffer archive = ByteBuffer.allocate(HEADER_BYTES + dir.length + metadata.length + tile.length);
        return archive.put(header.array()).put(dir).put(metadata).put(tile).array();
    }

    /** A Mapbox Vector Tile: layer {@code earth}, one polygon over the whole tile. */
    private static byte[] earthTile() {
        ByteArrayOutputStream geometry = new ByteArrayOutputStream();
        varint(geometry, command(1, 1)); // MoveTo
        varint(geometry, zigzag(0));
        varint(geometry, zigzag(0));
        varint(geometry, command(2, 3)); // LineTo x3, clockwise in tile coordinates: an outer ring
        for (int[] delta : new int[][] {{EXTENT, 0}, {0, EXTENT}, {-EXTENT, 0}}) {
            varint(geometry, zigzag(delta[0]));
            varint(geometry, zigzag(delta[1]));
        }
        varint(geometry, command(7, 1)); // ClosePath

        ByteArrayOutputStream feature = new ByteArrayOutputStream();
        field(feature, 1, 0);
        varint(feature, 1); // id
        field(feature, 3, 0);
        varint(feature, 3); // POLYGON
        bytesField(feature, 4, geometry.toByteArray());

        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        field(layer, 15, 0);
        varint(layer, 2); // version
        bytesField(layer, 1, "earth".getBytes(StandardCharsets.UTF_8));
        bytesField(layer, 2, feature.toByteArray());
        field(layer, 5, 0);
        varint(layer, EXTENT);

        ByteArrayOutputStream tile = new ByteArrayOutputStream();
        bytesField(tile, 3, layer.toByteArray());
        return tile.toByteArray();
    }

    private static int command(int id, int count) {
        return (id & 0x7) | (count << 3);
    }

    private static int zigzag(int value) {
        return (value << 1) ^ (value >> 31);
    }

    private static void field(ByteArrayOutputStream out, int number, int wireType) {
        varint(out, ((long) number << 3) | wireType);
    }

    private static void bytesField(ByteArrayOutputStream out, int number, byte[] bytes) {
        field(out, number, 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }
}
