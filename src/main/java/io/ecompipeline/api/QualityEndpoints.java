package io.ecompipeline.api;

import java.sql.SQLException;

import io.ecompipeline.quality.QualityReport;
import org.apache.camel.Exchange;

/** {@code GET /api/quality}: the data-quality report, computed on request (cheap: it reads the batch audit). */
public final class QualityEndpoints {

    private final QualityReport report;
    private final HttpResponses http;

    public QualityEndpoints(QualityReport report, HttpResponses http) {
        this.report = report;
        this.http = http;
    }

    public void get(Exchange exchange) throws SQLException {
        http.ok(exchange, report.generate());
    }
}
