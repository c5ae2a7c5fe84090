package io.ecompipeline.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between a runtime and a real service, so a test can take the service away from that one runtime
 * without stopping the shared server: {@link #refuse()} closes every connection and refuses new ones (a server that
 * is down), {@link #blackhole()} closes every connection and accepts new ones without ever answering (a server that
 * hangs or a dropped network), {@link #restore()} forwards again.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode { FORWARD, REFUSE, BLACKHOLE }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;
    private volatile ServerSocket server;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        listen();
    }

    public int port() {
        return port;
    }

    public synchronized void refuse() {
        mode = Mode.REFUSE;
        closeQuietly(server);
        server = null;
        dropConnections();
    }

    public synchronized void blackhole() {
        mode = Mode.BLACKHOLE;
        dropConnections();
        if (server == null) {
            listen();
        }
    }

    public synchronized void restore() {
        mode = Mode.FORWARD;
        dropConnections(); // black-holed ones
        if (server == null) {
            listen();
        }
    }

    private synchronized void listen() {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            server = s;
            Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-" + port);
            accept.setDaemon(true);
            accept.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!closed && !s.isClosed()) {
            try {
                Socket client = s.accept();
                open.add(client);
                if (mode == Mode.FORWARD) {
                    Socket upstream = new Socket(targetHost, targetPort);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                }
                // BLACKHOLE: keep the socket open and never read or answer
            } catch (IOException e) {
                // closed by refuse()/close(), or the target refused: the client sees its connection dropped
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection dropped
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void dropConnections() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(server);
        dropConnections();
    }
}
