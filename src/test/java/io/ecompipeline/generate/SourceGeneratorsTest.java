package io.ecompipeline.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.contract.ContractSchemaLoader;
import io.ecompipeline.contract.SourceContract;
import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.contract.Violation;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The generators of products, inventory and campaigns against the shipped contracts and the events: valid records
 * pass, each defect gives the rule it promises, the invalid share is the one asked for, the catalog is the events'
 * product scheme, purchases draw the stock down, and events reference the campaigns in their product's currency.
 */
class SourceGeneratorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();
    private static final ContractSchemaLoader SCHEMAS = new ContractSchemaLoader();

    private static SourceContract contract(String name, String id) {
        return SourceContract.load(CAMEL, SCHEMAS, name, "classpath:contract/" + name + ".schema.json",
                "classpath:contract/" + name + "-rules.yaml", id, 1 << 20, Clock.systemUTC());
    }

    /** Every record judged as the generator says; returns the share of invalid ones. */
    private static double assertJudgedAsPromised(SourceContract contract, List<GeneratedEvent> records) {
        int invalid = 0;
        for (GeneratedEvent r : records) {
            ValidationResult result = contract.validate(r.value());
            if (r.valid()) {
                assertTrue(result.valid(), () -> new String(r.value()) + " -> " + result);
            } else {
                invalid++;
                assertTrue(result.violations().stream().map(Violation::rule).anyMatch(r.rule()::equals),
                        () -> r.kind() + " should give " + r.rule() + ": " + result);
            }
        }
        return (double) invalid / records.size();
    }

    @Test
    void everySourceGetsTheSameInvalidShareWithTheRulesItPromises() {
        ProductGenerator products = new ProductGenerator(1, 0.25, 2000, Clock.systemUTC());
        CampaignGenerator campaigns = new CampaignGenerator(2, 0.25, Clock.systemUTC());
        InventoryGenerator inventory = new InventoryGenerator(3, 0.25, products.catalogSize(), Clock.systemUTC());
        assertEquals(0.25, assertJudgedAsPromised(contract("products", "product_id"), products.records()), 0.03);
        assertEquals(0.25, assertJudgedAsPromised(contract("inventory", "product_id"), inventory.opening()), 0.03);
        List<GeneratedEvent> campaignRecords = new java.util.ArrayList<>();
        for (int seed = 0; seed < 40; seed++) {
            campaignRecords.addAll(new CampaignGenerator(seed, 0.25, Clock.systemUTC()).records());
        }
        assertEquals(0.25, assertJudgedAsPromised(contract("campaigns", "campaign_id"), campaignRecords), 0.04);
        assertEquals(0.0, assertJudgedAsPromised(contract("campaigns", "campaign_id"),
                new CampaignGenerator(2, 0, Clock.systemUTC()).records()));
        assertEquals(10, campaigns.campaigns().size());
    }

    @Test
    void everyProductHasAValidVersionWhateverTheInvalidShare() {
        SourceContract contract = contract("products", "product_id");
        for (double share : new double[] {0.25, 0.6}) {
            ProductGenerator products = new ProductGenerator(5, share, 300, Clock.systemUTC());
            Set<String> withValidVersion = new HashSet<>();
            for (GeneratedEvent r : products.records()) {
                if (contract.validate(r.value()).valid()) {
                    withValidVersion.add(r.eventId());
                }
            }
            assertEquals(products.catalogSize(), withValidVersion.size(), "share " + share + ": every product has a valid version");
        }
    }

    @Test
    void theCatalogIsTheEventsProductsAndPurchasesDrawTheStockDown() throws Exception {
        int productCount = 40;
        EventGenerator events = new EventGenerator(7, 0, 0, 200, productCount, Clock.systemUTC());
        PurchaseTally tally = new PurchaseTally();
        Set<String> seen = new HashSet<>();
        for (GeneratedEvent e : events.next(3000)) {
            tally.accept(e);
            JsonNode p = JSON.readTree(e.value()).path("product");
            if (p.isObject()) {
                int n = ProductCatalog.number(p.get("product_id").asText());
                seen.add(p.get("product_id").asText());
                assertEquals(ProductCatalog.id(n), p.get("product_id").asText());
                assertEquals(ProductCatalog.name(n), p.get("name").asText());
                assertEquals(ProductCatalog.category(n), p.get("category").asText());
                // the catalog lists EUR prices; an event shows its customer's currency (EUR customers: the list price,
                // unless the product is one of those 10 % dearer from mid-period on)
                if (p.get("currency").asText().equals(ProductCatalog.currency(n)) && n % 10 != 3) {
                    assertEquals(0, ProductCatalog.price(n).compareTo(p.get("price").decimalValue()));
                }
            }
        }
        ProductGenerator products = new ProductGenerator(1, 0, productCount, Clock.systemUTC());
        Set<String> catalog = new HashSet<>();
        products.records().forEach(r -> catalog.add(r.eventId()));
        assertTrue(catalog.containsAll(seen), "every product an event buys is in the catalog");
        assertEquals(productCount + ProductGenerator.UNSOLD, catalog.size());

        InventoryGenerator inventory = new InventoryGenerator(3, 0, products.catalogSize(), Clock.systemUTC());
        Map<String, Integer> opening = stock(inventory.opening());
        Map<Integer, Long> sold = tally.unitsByProduct();
        Map<String, Integer> after = stock(inventory.after(sold));
        for (int n = 0; n < products.catalogSize(); n++) {
            int before = opening.get(ProductCatalog.id(n));
            long expected = Math.max(0, before - sold.getOrDefault(n, 0L)); // two warehouses never go below 0 each
            assertTrue(after.get(ProductCatalog.id(n)) >= expected && after.get(ProductCatalog.id(n)) <= before,
                    ProductCatalog.id(n) + ": " + before + " - " + sold.get(n) + " -> " + after.get(ProductCatalog.id(n)));
            if (n >= productCount) {
                assertEquals(before, after.get(ProductCatalog.id(n)), "unsold products keep their stock");
            }
        }
        assertTrue(after.get(ProductCatalog.id(0)) == 0, "product 0 starts with 3 units per warehouse and sells out");
    }

    @Test
    void eventsCarryCampaignsOfTheirProductsCurrency() throws Exception {
        CampaignGenerator campaigns = new CampaignGenerator(2, 0, Clock.systemUTC());
        Map<String, String> currencyOf = new HashMap<>();
        campaigns.campaigns().forEach(c -> currencyOf.put(c.id(), c.currency()));
        EventGenerator events = new EventGenerator(7, 0, 0, 200, 40, Clock.systemUTC())
                .withCampaigns(new CampaignTouches(campaigns.campaigns(), 0.5, 9));
        int touched = 0;
        int eligible = 0; // events with a campaign in their currency (or without a product: any campaign)
        for (GeneratedEvent e : events.next(2000)) {
            JsonNode event = JSON.readTree(e.value());
            if (!event.path("product").isObject() || currencyOf.containsValue(event.at("/product/currency").asText())) {
                eligible++;
            }
            if (event.has("campaign_id")) {
                touched++;
                assertTrue(!event.get("campaign_id").asText().equals("CMP-EUR-DISPLAY"), "the display campaign has no touches");
                if (event.path("product").isObject()) {
                    assertEquals(event.at("/product/currency").asText(), currencyOf.get(event.get("campaign_id").asText()));
                }
                assertTrue(event.has("utm_source") && event.has("utm_medium"));
            }
        }
        assertTrue(eligible > 1000, "most events are in a campaign currency: " + eligible);
        assertEquals(0.5, touched / (double) eligible, 0.05);
        // the same seed without campaigns gives the same events apart from the campaign fields
        GeneratedEvent plain = new EventGenerator(7, 0, 0, 200, 40, Clock.systemUTC()).next();
        GeneratedEvent marked = new EventGenerator(7, 0, 0, 200, 40, Clock.systemUTC())
                .withCampaigns(new CampaignTouches(campaigns.campaigns(), 1, 9)).next();
        JsonNode withoutFields = ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(marked.value()))
                .without(List.of("campaign_id", "utm_source", "utm_medium"));
        assertEquals(JSON.readTree(plain.value()).get("event_id"), withoutFields.get("event_id"));
        assertTrue(ProductCatalog.cost(3).compareTo(ProductCatalog.price(3)) < 0 && ProductCatalog.cost(3).signum() > 0);
    }

    private static Map<String, Integer> stock(List<GeneratedEvent> snapshots) throws Exception {
        Map<String, Integer> byProduct = new HashMap<>();
        for (GeneratedEvent s : snapshots) {
            JsonNode n = JSON.readTree(s.value());
            byProduct.merge(n.get("product_id").asText(), n.get("on_hand").asInt(), Integer::sum);
        }
        return byProduct;
    }
}
