/**
 * Edits without restart: route files in the external folder replace built-in routes by id, and watched route and
 * contract files are validated in a throw-away context before they are applied; a broken edit is rejected and the
 * previous version keeps running.
 *
 * <p>May depend on: {@code contract}.
 */
package io.ecompipeline.reload;
