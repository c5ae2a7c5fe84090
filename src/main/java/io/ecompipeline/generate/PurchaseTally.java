package io.ecompipeline.generate;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Counts the units of the valid, paid purchases among published events per product number: what leaves the stock. */
public final class PurchaseTally implements Consumer<GeneratedEvent> {

    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Long> units = new TreeMap<>();

    @Override
    public void accept(GeneratedEvent event) {
        if (!event.valid()) {
            return;
        }
        try {
            JsonNode e = json.readTree(event.value());
            if ("PURCHASE".equals(e.path("event_type").asText()) && "PAID".equals(e.at("/transaction/payment_status").asText())) {
                int n = ProductCatalog.number(e.at("/product/product_id").asText());
                if (n >= 0) {
                    units.merge(n, e.at("/transaction/quantity").asLong(), Long::sum);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a valid generated event is not JSON", e);
        }
    }

    /** Paid units per product number so far. */
    public Map<Integer, Long> unitsByProduct() {
        return Map.copyOf(units);
    }
}
