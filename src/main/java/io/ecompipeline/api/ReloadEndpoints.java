package io.ecompipeline.api;

import io.ecompipeline.reload.ConfigWatcher;
import org.apache.camel.Exchange;

/** {@code GET /api/config/reloads}: watched files and the recent edits with their outcome (applied, rejected…). */
public final class ReloadEndpoints {

    private final ConfigWatcher watcher;
    private final HttpResponses http;

    public ReloadEndpoints(ConfigWatcher watcher, HttpResponses http) {
        this.watcher = watcher;
        this.http = http;
    }

    public void get(Exchange exchange) {
        http.ok(exchange, watcher.status());
    }
}
