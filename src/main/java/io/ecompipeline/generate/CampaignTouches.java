package io.ecompipeline.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Which generated events come from a marketing campaign: a share of them get the {@code campaign_id}, {@code utm_source}
 * and {@code utm_medium} of one of the running campaigns, chosen among the campaigns in the currency of the event's
 * product (a page view without a product: any campaign), so attributed sales are in the campaign's currency. Draws from
 * its own random source: events of a seed are the same with or without campaigns, apart from these fields.
 */
public final class CampaignTouches {

    /** No campaigns: events carry no campaign fields. */
    public static final CampaignTouches NONE = new CampaignTouches(List.of(), 0, 0);

    private final List<CampaignGenerator.Campaign> campaigns;
    private final double share;
    private final SplittableRandom random;

    public CampaignTouches(List<CampaignGenerator.Campaign> campaigns, double share, long seed) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("share must be between 0 and 1");
        }
        this.campaigns = List.copyOf(campaigns);
        this.share = share;
        this.random = new SplittableRandom(seed);
    }

    /** Adds a campaign's fields to {@code event} with probability share; {@code currency} null = any campaign. */
    void mark(ObjectNode event, String currency) {
        if (campaigns.isEmpty() || random.nextDouble() >= share) {
            return;
        }
        List<CampaignGenerator.Campaign> eligible = new ArrayList<>();
        for (CampaignGenerator.Campaign c : campaigns) {
            if (c.touched() && (currency == null || c.currency().equals(currency))) {
                eligible.add(c);
            }
        }
        if (eligible.isEmpty()) {
            return;
        }
        CampaignGenerator.Campaign c = eligible.get(random.nextInt(eligible.size()));
        event.put("campaign_id", c.id());
        event.put("utm_source", c.utmSource());
        event.put("utm_medium", c.utmMedium());
    }
}
