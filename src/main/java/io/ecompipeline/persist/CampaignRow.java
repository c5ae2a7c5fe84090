package io.ecompipeline.persist;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.contract.Violation;

/**
 * One record of the campaigns topic: a campaign definition ({@code record_type} {@code campaign}, a
 * {@code raw.campaigns} row) or a day's spend on one channel ({@code spend}, a {@code raw.campaign_spend} row).
 * Columns of the other kind are null.
 */
public record CampaignRow(boolean spend, String campaignId, String name, String channel, String currency, String budget,
                          String startDate, String endDate, String updatedAt, String spendDate, String amount,
                          String reportedAt, SourceRecord origin) {

    public static final String CAMPAIGN = "campaign";
    public static final String SPEND = "spend";

    public static CampaignRow of(JsonNode c, SourceRecord origin) throws UnstorableEventException {
        List<Violation> problems = new ArrayList<>(0);
        RecordFields.checkStorable(c, origin, problems);
        boolean spend = SPEND.equals(RecordFields.text(c, "record_type"));
        String startDate = RecordFields.date(c, "start_date", problems);
        String endDate = RecordFields.date(c, "end_date", problems);
        String updatedAt = RecordFields.timestamp(c, "updated_at", problems);
        String spendDate = RecordFields.date(c, "spend_date", problems);
        String reportedAt = RecordFields.timestamp(c, "reported_at", problems);
        RecordFields.throwIfAny(problems);
        return new CampaignRow(spend, RecordFields.text(c, "campaign_id"), RecordFields.text(c, "name"),
                RecordFields.text(c, "channel"), RecordFields.text(c, "currency"), RecordFields.number(c, "budget"), startDate,
                endDate, updatedAt, spendDate, RecordFields.number(c, "amount"), reportedAt, origin);
    }
}
