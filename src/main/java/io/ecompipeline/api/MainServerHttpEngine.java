package io.ecompipeline.api;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine for the REST API, pinned to the main server's port. Camel's engine finds "the" server by
 * type, and with the management server on its own port there are two, so it falls back to port 8080 and REST routes
 * fail to start on any other port.
 */
public final class MainServerHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public MainServerHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
