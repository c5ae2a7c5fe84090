package io.ecompipeline.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.ecompipeline.fleet.RouteControls;
import io.ecompipeline.jobs.JobRun;
import io.ecompipeline.reload.ReloadEvent;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The shapes of the REST API's JSON bodies, named in {@code routes/api.yaml} ({@code outType}, {@code responseModel}) so
 * that camel-openapi-java writes them into {@code /api/openapi.json} as schemas. The endpoints build their bodies as
 * maps or as the records of the packages they call; ApiContractIT checks every real response against these schemas,
 * so a field added to a body without being added here fails that test. Keys are camelCase throughout.
 *
 * <p>Every field of a record (here and in the records of other packages named in the routes) is {@code required} in the
 * document: the bodies always carry it. {@link Nullable} marks a field whose value may be null (a column that may be
 * NULL, an optional setting), and only those are {@code nullable}; a field the body carries only in some cases is
 * annotated {@code @Schema(requiredMode = NOT_REQUIRED)} (OpenApiEndpoint reads both).
 */
public final class ApiSchemas {

    private ApiSchemas() {
    }

    /** RFC 9457 problem details: every error of {@code /api} ({@code application/problem+json}). */
    public record Problem(String type, String title, int status, String detail, String instance) {
    }

    /** 409 of {@code POST /api/jobs/{type}}: a problem plus the run of that type already running (Airflow reads it). */
    public record JobConflict(String type, String title, int status, String detail, String instance, JobRun running) {
    }

    /** {@code GET /api/jobs}. */
    public record JobList(List<String> types, List<JobRun> runs) {
    }

    /** A rule a record broke: the rule id (README "Reasons"), the field, a readable message. */
    public record Reason(String rule, String field, String message) {
    }

    /** Where a dead letter came from. */
    public record Origin(String topic, int partition, long offset) {
    }

    /** One entry of the dead-letter store; {@code reasons} is the list of rule violations. */
    public record DeadLetter(long id, String source, @Nullable String eventId, String status, String errorClass, int attempts,
                             List<Reason> reasons, Origin origin, Instant firstFailedAt, Instant lastFailedAt,
                             @Nullable Instant nextAttemptAt, @Nullable Instant resolvedAt, @Nullable String resolution,
                             int payloadBytes) {
    }

    /** One redelivery attempt of a dead letter. */
    public record Attempt(int attempt, String outcome, @Nullable List<Reason> reasons, Instant attemptedAt, String runId) {
    }

    /** {@code GET /api/dead-letters/{id}}: the entry with its payload (UTF-8 text, else base64) and attempt history. */
    public record DeadLetterDetail(long id, String source, @Nullable String eventId, String status, String errorClass,
                                   int attempts, List<Reason> reasons, Origin origin, Instant firstFailedAt,
                                   Instant lastFailedAt, @Nullable Instant nextAttemptAt, @Nullable Instant resolvedAt,
                                   @Nullable String resolution, int payloadBytes, @Nullable String payload,
                                   @Nullable String payloadBase64, List<Attempt> history) {
    }

    /** {@code GET /api/dead-letters}. */
    public record DeadLetterList(int count, List<DeadLetter> entries) {
    }

    /** {@code GET /api/dead-letters/summary}. */
    public record DeadLetterSummary(Map<String, Long> byStatus, Map<String, Long> byErrorClass, Map<String, Long> byRule,
                                    @Nullable Instant oldestWaitingAt, long dueNow, @Nullable Instant nextAttemptAt) {
    }

    /** 202 of {@code POST /api/dead-letters/redeliver}: the ids made due (when ids were given) and the started job. */
    public record RedeliveryStarted(@Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED,
            description = "only when ids were given") List<Long> madeDue, JobRun job) {
    }

    /**
     * 409 of a redelivery request: while one runs (type redelivery-already-running, with {@code madeDue} and
     * {@code running}; what was made due is picked up by the running pass or the next one), or none of the ids is
     * waiting or parked (about:blank, the problem members only).
     */
    public record RedeliveryConflict(String type, String title, int status, String detail, String instance,
                                     @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) List<Long> madeDue,
                                     @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED) JobRun running) {
    }

    /** 202 of {@code POST /api/routes/{id}/suspend|resume}. */
    public record RouteRequestAccepted(RouteControls.Request request, String note) {
    }

    /** One Kafka consumer route of this instance (only routes with a Kafka consumer are listed: consumerPaused is set). */
    public record IngestRoute(String state, boolean consumerPaused, int inflight, boolean quiescent) {
    }

    /** Ingest totals of this instance since it started. */
    public record IngestTotals(long received, long inserted, long duplicates, long deadLettered, long batches,
                               long lastBatchMillis) {
    }

    /** {@code GET /api/ingest}. */
    public record IngestStatus(boolean quiescent, Map<String, IngestRoute> routes, IngestTotals totals) {
    }

    /** One check of the quality report; {@code status} ok or breach. */
    public record QualityCheck(String name, double value, double threshold, String status, String detail) {
    }

    /** Throughput of the batches in the window. */
    public record Throughput(long records, long batches, double recordsPerSecondWhileBusy, double batchMillisP50,
                             double batchMillisP95) {
    }

    /** One verdict of the anomaly job. */
    public record AnomalyVerdict(String metric, String dimension, String hour, @Nullable Double value, @Nullable Double median,
                                 @Nullable Double mad, int points, @Nullable Double z, boolean anomaly, String evaluatedAt) {
    }

    /** The anomaly verdicts of the lookback: the latest hour of each metric and the anomalous hours. */
    public record Anomalies(String lookback, List<AnomalyVerdict> latest, List<AnomalyVerdict> flagged) {
    }

    /** An alert episode still open. */
    public record OpenAlert(String kind, String cause, String message, String openedAt, String lastSeenAt, int repeats) {
    }

    /** {@code GET /api/quality}. */
    public record QualityReport(Throughput throughput, String generatedAt, String window, long records,
                                List<QualityCheck> checks, Map<String, Long> rejectsByRule, Anomalies anomalies,
                                List<String> breached, List<OpenAlert> openAlerts) {
    }

    /** {@code GET /api/config/reloads}. */
    public record ConfigReloads(String routesDir, List<String> routeFiles, String rules, String schema,
                                List<ReloadEvent> events) {
    }
}
