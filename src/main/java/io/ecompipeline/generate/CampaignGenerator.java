package io.ecompipeline.generate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Records of the campaigns topic (contract/campaigns.*): a definition of every campaign and its spend per channel for
 * today and yesterday, with the same share of invalid records as the events, spread over the campaigns contract's
 * defects. One campaign per currency of the product catalog and channel, plus one display campaign the events never
 * reference: a campaign with spend and no attributed purchase.
 */
public final class CampaignGenerator {

    /**
     * One synthetic campaign.
     *
     * @param touched whether events carry its id (the display campaign's never do)
     */
    public record Campaign(String id, String channel, String currency, String utmSource, String utmMedium, boolean touched) {
    }

    /** Each defect of the campaigns contract, with the rule the contract must report. */
    public enum Defect {
        UNKNOWN_CHANNEL("rule.channel_allowed"),
        END_BEFORE_START("rule.end_date_not_before_start_date"),
        NEGATIVE_SPEND("rule.amount_non_negative"),
        NEGATIVE_BUDGET("rule.budget_positive"),
        SPEND_WITHOUT_AMOUNT("schema.required"),
        CURRENCY_ON_SPEND("schema.false"),
        TRUNCATED_JSON("malformed.json");

        private final String rule;

        Defect(String rule) {
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    private static final String[][] CHANNELS = {{"search", "google", "cpc"}, {"social", "facebook", "paid_social"},
        {"email", "newsletter", "email"}};

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    private final double invalidShare;
    private final Clock clock;
    private final List<Campaign> campaigns = new ArrayList<>();

    public CampaignGenerator(long seed, double invalidShare, Clock clock) {
        this.random = new SplittableRandom(seed);
        this.invalidShare = invalidShare;
        this.clock = clock;
        for (String currency : List.of("EUR", "USD", "GBP")) {
            for (String[] channel : CHANNELS) {
                campaigns.add(new Campaign("CMP-" + currency + "-" + channel[0].toUpperCase(), channel[0], currency, channel[1],
                        channel[2], true));
            }
        }
        campaigns.add(new Campaign("CMP-EUR-DISPLAY", "display", "EUR", "gdn", "display", false));
    }

    public List<Campaign> campaigns() {
        return List.copyOf(campaigns);
    }

    /** Every definition, then the spend of yesterday and today per campaign; about invalidShare of them defective. */
    public List<GeneratedEvent> records() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Instant now = clock.instant();
        List<GeneratedEvent> out = new ArrayList<>();
        for (Campaign c : campaigns) {
            out.add(maybeDefective(definition(c, today, now), c.id()));
        }
        for (LocalDate day : List.of(today.minusDays(1), today)) {
            for (Campaign c : campaigns) {
                BigDecimal amount = BigDecimal.valueOf(2_000 + random.nextInt(18_000), 2);
                out.add(maybeDefective(spend(c, day, amount, now), c.id()));
            }
        }
        return out;
    }

    private ObjectNode definition(Campaign c, LocalDate today, Instant now) {
        return json.createObjectNode().put("record_type", "campaign").put("campaign_id", c.id())
                .put("name", c.channel() + " campaign " + c.currency()).put("channel", c.channel()).put("currency", c.currency())
                .put("budget", 5_000).put("start_date", today.minusDays(7).toString())
                .put("end_date", today.plusDays(21).toString()).put("updated_at", now.minusSeconds(3600).toString());
    }

    private ObjectNode spend(Campaign c, LocalDate day, BigDecimal amount, Instant now) {
        return json.createObjectNode().put("record_type", "spend").put("campaign_id", c.id()).put("spend_date", day.toString())
                .put("channel", c.channel()).put("amount", amount).put("reported_at", now.minusSeconds(60).toString());
    }

    private GeneratedEvent maybeDefective(ObjectNode record, String key) {
        if (random.nextDouble() >= invalidShare) {
            return new GeneratedEvent(key, bytes(record), "valid", null, false);
        }
        boolean spend = "spend".equals(record.path("record_type").asText());
        Defect[] applicable = spend
                ? new Defect[] {Defect.NEGATIVE_SPEND, Defect.SPEND_WITHOUT_AMOUNT, Defect.CURRENCY_ON_SPEND, Defect.TRUNCATED_JSON}
                : new Defect[] {Defect.UNKNOWN_CHANNEL, Defect.END_BEFORE_START, Defect.NEGATIVE_BUDGET, Defect.TRUNCATED_JSON};
        Defect defect = applicable[random.nextInt(applicable.length)];
        byte[] raw = null;
        switch (defect) {
            case UNKNOWN_CHANNEL -> record.put("channel", "billboard");
            case END_BEFORE_START -> record.put("end_date", "2000-01-01");
            case NEGATIVE_BUDGET -> record.put("budget", -100);
            case NEGATIVE_SPEND -> record.put("amount", -12.5);
            case SPEND_WITHOUT_AMOUNT -> record.remove("amount");
            case CURRENCY_ON_SPEND -> record.put("currency", "USD");
            case TRUNCATED_JSON -> {
                byte[] full = bytes(record);
                raw = new String(full, 0, full.length / 2, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            }
            default -> throw new IllegalStateException(defect.name());
        }
        return new GeneratedEvent(key, raw != null ? raw : bytes(record), defect.name().toLowerCase(), defect.rule(), false);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
