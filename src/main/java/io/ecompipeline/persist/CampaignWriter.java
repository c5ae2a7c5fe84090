package io.ecompipeline.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.db.IdempotentCopy;

/**
 * Writes the campaigns topic idempotently: definitions to {@code raw.campaigns} keyed by (campaign_id, updated_at), spend
 * to {@code raw.campaign_spend} keyed by (campaign_id, spend_date, channel, reported_at): a corrected figure is a new
 * report, a replayed one is skipped.
 */
public final class CampaignWriter implements RowSink<CampaignRow> {

    private static final IdempotentCopy CAMPAIGNS = new IdempotentCopy("raw.campaigns", "campaign_id, name, channel, currency, "
            + "budget, start_date, end_date, updated_at, payload, source_topic, source_partition, source_offset, run_id",
            "(campaign_id, updated_at)");
    private static final IdempotentCopy SPEND = new IdempotentCopy("raw.campaign_spend", "campaign_id, spend_date, channel, "
            + "amount, reported_at, payload, source_topic, source_partition, source_offset, run_id",
            "(campaign_id, spend_date, channel, reported_at)");

    private final String runId;

    public CampaignWriter(UUID runId) {
        this.runId = runId.toString();
    }

    @Override
    public CampaignRow row(JsonNode record, SourceRecord origin) throws UnstorableEventException {
        return CampaignRow.of(record, origin);
    }

    @Override
    public int write(Connection connection, List<CampaignRow> rows) throws SQLException {
        CopyBuffer campaigns = new CopyBuffer(rows.size(), 350);
        CopyBuffer spend = new CopyBuffer(rows.size(), 250);
        for (CampaignRow r : rows) {
            SourceRecord o = r.origin();
            if (r.spend()) {
                spend.value(r.campaignId()).value(r.spendDate()).value(r.channel()).value(r.amount()).value(r.reportedAt());
                origin(spend, o).endRow();
            } else {
                campaigns.value(r.campaignId()).value(r.name()).value(r.channel()).value(r.currency()).value(r.budget())
                        .value(r.startDate()).value(r.endDate()).value(r.updatedAt());
                origin(campaigns, o).endRow();
            }
        }
        return CAMPAIGNS.write(connection, campaigns) + SPEND.write(connection, spend);
    }

    private CopyBuffer origin(CopyBuffer buffer, SourceRecord o) {
        return buffer.utf8(o.value()).value(o.topic()).value(o.partition()).value(o.offset()).value(runId);
    }
}
