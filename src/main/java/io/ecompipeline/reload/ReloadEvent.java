package io.ecompipeline.reload;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One detected edit and what became of it.
 *
 * @param outcome {@code applied}, {@code rejected} (validation failed; the previous version keeps running),
 *                {@code restored} (applying failed; the previous version was put back) or {@code ignored}
 * @param changes what changed: route ids added or updated, rule settings before → after, line counts
 */
public record ReloadEvent(Instant at, String file, String kind, String outcome, List<String> changes, @Nullable String error) {
}
