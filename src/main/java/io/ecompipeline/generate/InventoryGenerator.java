package io.ecompipeline.generate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Records of the inventory topic (contract/inventory.*): stock snapshots of every catalog product in two warehouses, a
 * first one a day ago and, once the events are published, one as of now with the paid purchases drawn from the stock
 * (half from each warehouse): every 25th product starts with 3 units in each and so runs out, and the unsold products
 * ({@link ProductGenerator#UNSOLD}) keep their stock: dead stock. The same share of invalid snapshots as the events,
 * spread over the inventory contract's defects.
 */
public final class InventoryGenerator {

    public static final List<String> WAREHOUSES = List.of("WH-BER", "WH-LYS");

    /** Each defect of the inventory contract, with the rule the contract must report. */
    public enum Defect {
        RESERVED_ABOVE_ON_HAND("rule.reserved_not_above_on_hand"),
        NEGATIVE_REORDER_POINT("rule.reorder_point_non_negative"),
        COST_WITHOUT_CURRENCY("schema.dependent_required"),
        ON_HAND_AS_TEXT("schema.type"),
        NOT_AN_OBJECT("malformed.not_object");

        private final String rule;

        Defect(String rule) {
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    private final double invalidShare;
    private final int catalogSize;
    private final Clock clock;
    private final int[][] onHand;
    private final int[][] reserved;

    public InventoryGenerator(long seed, double invalidShare, int catalogSize, Clock clock) {
        this.random = new SplittableRandom(seed);
        this.invalidShare = invalidShare;
        this.catalogSize = catalogSize;
        this.clock = clock;
        this.onHand = new int[catalogSize][WAREHOUSES.size()];
        this.reserved = new int[catalogSize][WAREHOUSES.size()];
        for (int n = 0; n < catalogSize; n++) {
            for (int w = 0; w < WAREHOUSES.size(); w++) {
                onHand[n][w] = n % 25 == 0 ? 3 : 40 + random.nextInt(160);
                reserved[n][w] = random.nextInt(Math.min(5, onHand[n][w]) + 1);
            }
        }
    }

    /** The opening stock, counted a day ago. */
    public List<GeneratedEvent> opening() {
        return snapshots(clock.instant().minus(Duration.ofDays(1)));
    }

    /**
     * The stock as of now after the paid purchases of the published events.
     *
     * @param unitsSold paid units per product number
     */
    public List<GeneratedEvent> after(Map<Integer, Long> unitsSold) {
        for (Map.Entry<Integer, Long> sold : unitsSold.entrySet()) {
            int n = sold.getKey();
            if (n < 0 || n >= catalogSize) {
                continue;
            }
            long left = sold.getValue();
            for (int w = 0; w < WAREHOUSES.size(); w++) {
                long share = w == WAREHOUSES.size() - 1 ? left : sold.getValue() / WAREHOUSES.size();
                int taken = (int) Math.min(share, onHand[n][w]);
                onHand[n][w] -= taken;
                reserved[n][w] = Math.min(reserved[n][w], onHand[n][w]);
                left -= share;
            }
        }
        return snapshots(clock.instant());
    }

    private List<GeneratedEvent> snapshots(Instant at) {
        List<GeneratedEvent> out = new ArrayList<>();
        for (int n = 0; n < catalogSize; n++) {
            for (int w = 0; w < WAREHOUSES.size(); w++) {
                ObjectNode s = json.createObjectNode().put("product_id", ProductCatalog.id(n)).put("warehouse_id", WAREHOUSES.get(w))
                        .put("on_hand", onHand[n][w]).put("reserved", reserved[n][w]).put("reorder_point", 10 + n % 20)
                        .put("unit_cost", ProductCatalog.cost(n)).put("currency", ProductCatalog.currency(n))
                        .put("snapshot_time", at.toString());
                out.add(maybeDefective(s));
            }
        }
        return out;
    }

    private GeneratedEvent maybeDefective(ObjectNode s) {
        String key = s.get("product_id").asText() + "/" + s.get("warehouse_id").asText();
        if (random.nextDouble() >= invalidShare) {
            return new GeneratedEvent(key, bytes(s), "valid", null, false);
        }
        Defect defect = Defect.values()[random.nextInt(Defect.values().length)];
        byte[] raw = null;
        switch (defect) {
            case RESERVED_ABOVE_ON_HAND -> s.put("reserved", s.get("on_hand").asInt() + 5);
            case NEGATIVE_REORDER_POINT -> s.put("reorder_point", -1);
            case COST_WITHOUT_CURRENCY -> s.remove("currency");
            case ON_HAND_AS_TEXT -> s.put("on_hand", s.get("on_hand").asText());
            case NOT_AN_OBJECT -> raw = ("[" + new String(bytes(s), java.nio.charset.StandardCharsets.UTF_8) + "]")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default -> throw new IllegalStateException(defect.name());
        }
        return new GeneratedEvent(key, raw != null ? raw : bytes(s), defect.name().toLowerCase(), defect.rule(), false);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
