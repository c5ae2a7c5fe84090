package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HttpServerFactoryTest {

    @Test
    void probePathsJoinTheServerPathAndTheHealthPath() {
        assertEquals("/observe/health", HttpServerFactory.join("/", "/observe/health"));
        assertEquals("/observe/health", HttpServerFactory.join(null, "observe/health"));
        assertEquals("/mgmt/observe/health", HttpServerFactory.join("/mgmt/", "/observe/health"));
    }
}
