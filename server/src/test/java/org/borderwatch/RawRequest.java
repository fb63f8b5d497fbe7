package org.borderwatch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request written by hand on a plain socket, so a test decides when (and whether) its body is sent: the
 * head and part of a body now, the rest later, and the answer read whenever it comes.
 */
public final class RawRequest implements AutoCloseable {

    /** A response as read off the wire. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawRequest(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        socket.setSoTimeout(30_000);
    }

    /** Sends the head of a JSON body, declaring {@code contentLength}, and {@code bodyStart} of the body. */
    public static RawRequest open(int port, String method, String path, String token, long contentLength,
                                  String bodyStart) throws IOException {
        return open(port, method, path, token, "application/json", contentLength, bodyStart);
    }

    /** Sends the head, declaring {@code contentLength}, and {@code bodyStart} of the body. */
    public static RawRequest open(int port, String method, String path, String token, String contentType,
                           long contentLength, String bodyStart) throws IOException {
        RawRequest request = new RawRequest(new Socket("127.0.0.1", port));
        StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(contentLength).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        head.append("\r\n").append(bodyStart);
        request.send(head.toString());
        return request;
    }

    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads one response: status line, headers, and a body of its Content-Length. */
    public Response response() throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), headers,
                new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                bytes.write(c);
            }
        }
        if (c == -1 && bytes.size() == 0) {
            throw new IOException("connection closed before a response");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
