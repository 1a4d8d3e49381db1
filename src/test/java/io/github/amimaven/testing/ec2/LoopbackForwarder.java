package io.github.amimaven.testing.ec2;

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
 * Forwards TCP connections from loopback addresses and a port to another loopback port: a VM-backed instance
 * answers SSH on its own instance addresses and the port the account's SSH mode uses, as an EC2 instance
 * answers on port 22 of its address, while QEMU forwards from a port of its own choosing.
 */
final class LoopbackForwarder implements AutoCloseable {

    private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final int targetPort;
    private volatile boolean closed;

    private LoopbackForwarder(int targetPort) {
        this.targetPort = targetPort;
    }

    static LoopbackForwarder start(List<String> addresses, int port, int targetPort) throws IOException {
        LoopbackForwarder f = new LoopbackForwarder(targetPort);
        try {
            for (String address : addresses) {
                InetAddress a = InetAddress.getByName(address);
                if (!a.isLoopbackAddress()) {
                    throw new IOException(address + " is not a loopback address");
                }
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(a, port));
                f.listeners.add(s);
                Thread t = new Thread(() -> f.accept(s), "forward-" + address + ":" + port);
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private void accept(ServerSocket listener) {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // the guest is not listening yet: the client sees a closed connection and retries
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "pump");
        t.setDaemon(true);
        t.start();
    }

    /** Stops listening and drops every open connection, as a machine that goes away does. */
    @Override
    public void close() {
        closed = true;
        listeners.forEach(LoopbackForwarder::closeQuietly);
        sockets.forEach(LoopbackForwarder::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
