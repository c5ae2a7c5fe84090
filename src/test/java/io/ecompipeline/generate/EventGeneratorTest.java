package io.ecompipeline.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<String> TIERS = List.of("BRONZE", "SILVER", "GOLD", "PLATINUM");

    private static List<JsonNode> valid(long seed, int count, int days) throws Exception {
        EventGenerator gen = new EventGenerator(seed, 0, 0.05, 300, 80, CLOCK, days);
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GeneratedEvent e = gen.next();
            assertTrue(e.valid());
            events.add(JSON.readTree(e.value()));
        }
        return events;
    }

    @Test
    void theSameSeedAndClockGiveTheSameEvents() {
        EventGenerator a = new EventGenerator(7, 0.25, 0.05, 100, 20, CLOCK, 30);
        EventGenerator b = new EventGenerator(7, 0.25, 0.05, 100, 20, CLOCK, 30);
        for (int i = 0; i < 3_000; i++) {
            assertArrayEquals(a.next().value(), b.next().value(), "event " + i);
        }
        assertFalse(java.util.Arrays.equals(new EventGenerator(8, 0, 0, 100, 20, CLOCK, 30).next().value(),
                new EventGenerator(7, 0, 0, 100, 20, CLOCK, 30).next().value()));
    }

    @Test
    void refundsReferToAnEarlierPaidPurchaseOfTheSameCustomerForAtMostItsAmount() throws Exception {
        Map<String, JsonNode> paid = new HashMap<>();
        int refunds = 0;
        for (JsonNode e : valid(11, 20_000, 60)) {
            JsonNode t = e.path("transaction");
            if (e.path("event_type").asText().equals("PURCHASE") && t.path("payment_status").asText().equals("PAID")) {
                paid.put(t.path("transaction_id").asText(), e);
            }
            if (e.path("event_type").asText().equals("REFUND")) {
                refunds++;
                JsonNode purchase = paid.get(t.path("transaction_id").asText());
                assertNotNull(purchase, "refund of an unknown purchase: " + e);
                assertEquals(purchase.path("customer").path("customer_id"), e.path("customer").path("customer_id"));
                assertEquals(purchase.path("product").path("product_id"), e.path("product").path("product_id"));
                assertEquals(purchase.path("transaction").path("currency"), t.path("currency"));
                assertTrue(t.path("amount").decimalValue().compareTo(purchase.path("transaction").path("amount").decimalValue()) <= 0,
                        () -> "refund above the purchase: " + e);
                assertTrue(Instant.parse(e.path("event_time").asText()).isAfter(Instant.parse(purchase.path("event_time").asText())));
                assertFalse(Instant.parse(e.path("event_time").asText()).isAfter(NOW));
            }
        }
        assertTrue(refunds > 50, "refunds: " + refunds);
    }

    @Test
    void productsKeepTheirCategoryAndARarelyChangingPriceCustomersTheirCountryAndClimbTiers() throws Exception {
        Map<String, Set<String>> categories = new HashMap<>();
        Map<String, Set<BigDecimal>> prices = new HashMap<>();
        Map<String, Set<String>> countries = new HashMap<>();
        Map<String, Set<String>> currencies = new HashMap<>();
        Map<String, TreeMap<Instant, String>> tiers = new HashMap<>();
        for (JsonNode e : valid(12, 20_000, 90)) {
            String customer = e.path("customer").path("customer_id").asText();
            countries.computeIfAbsent(customer, k -> new HashSet<>()).add(e.path("customer").path("country").asText());
            tiers.computeIfAbsent(customer, k -> new TreeMap<>()).put(Instant.parse(e.path("event_time").asText()),
                    e.path("customer").path("tier").asText());
            JsonNode p = e.path("product");
            if (!p.isMissingNode()) {
                String product = p.path("product_id").asText();
                categories.computeIfAbsent(product, k -> new HashSet<>()).add(p.path("category").asText());
                prices.computeIfAbsent(product + "/" + p.path("currency").asText(), k -> new HashSet<>())
                        .add(p.path("price").decimalValue());
                currencies.computeIfAbsent(customer, k -> new HashSet<>()).add(p.path("currency").asText());
            }
        }
        categories.forEach((product, c) -> assertEquals(1, c.size(), product + " categories " + c));
        prices.forEach((product, p) -> assertTrue(p.size() <= 2, product + " prices " + p));
        assertTrue(prices.values().stream().anyMatch(p -> p.size() == 2), "some price changed");
        assertTrue(prices.values().stream().filter(p -> p.size() == 2).count() * 5 < prices.size(), "prices change rarely");
        countries.forEach((customer, c) -> assertEquals(1, c.size(), customer + " countries " + c));
        currencies.forEach((customer, c) -> assertEquals(1, c.size(), customer + " currencies " + c));
        int climbed = 0;
        for (Map.Entry<String, TreeMap<Instant, String>> customer : tiers.entrySet()) {
            int previous = -1;
            for (String tier : customer.getValue().values()) {
                int rank = TIERS.indexOf(tier);
                assertTrue(rank >= previous, customer.getKey() + " went down a tier: " + customer.getValue());
                climbed += previous >= 0 && rank > previous ? 1 : 0;
                previous = rank;
            }
        }
        assertTrue(climbed > 20, "tier changes: " + climbed);
    }

    @Test
    void sessionsAreFunnelsOfOneCustomerAndSourceInTimeOrder() throws Exception {
        Map<String, List<JsonNode>> sessions = new TreeMap<>();
        for (JsonNode e : valid(13, 10_000, 0)) {
            if (e.has("session_id")) {
                sessions.computeIfAbsent(e.path("session_id").asText(), k -> new ArrayList<>()).add(e);
            } else {
                assertEquals("REFUND", e.path("event_type").asText(), "only refunds come without a session");
            }
        }
        int bounces = 0;
        int converted = 0;
        for (List<JsonNode> events : sessions.values()) {
            Set<String> viewed = new HashSet<>();
            Set<String> carted = new HashSet<>();
            Instant previous = Instant.MIN;
            assertEquals("PAGE_VIEW", events.get(0).path("event_type").asText(), "a session starts with a page");
            for (JsonNode e : events) {
                assertEquals(events.get(0).path("customer"), e.path("customer"));
                assertEquals(events.get(0).path("source"), e.path("source"));
                Instant t = Instant.parse(e.path("event_time").asText());
                assertFalse(t.isBefore(previous));
                previous = t;
                String product = e.path("product").path("product_id").asText();
                switch (e.path("event_type").asText()) {
                    case "PAGE_VIEW" -> viewed.add(product);
                    case "ADD_TO_CART" -> assertTrue(viewed.contains(product) && carted.add(product), "cart of a viewed product");
                    case "PURCHASE" -> assertTrue(carted.contains(product), "purchase of a carted product");
                    default -> throw new AssertionError("unexpected in a session: " + e);
                }
            }
            bounces += events.size() == 1 ? 1 : 0;
            converted += events.stream().anyMatch(e -> e.path("transaction").path("payment_status").asText().equals("PAID")) ? 1 : 0;
        }
        assertTrue(bounces > sessions.size() / 10 && converted > sessions.size() / 20, "bounces " + bounces + ", converted "
                + converted + " of " + sessions.size());
    }

    @Test
    void daysSpreadEventTimesOverThePastDaysInSeveralCurrenciesWithSampleRates() throws Exception {
        Map<LocalDate, Set<String>> rates = new HashMap<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("sql/reference/fx_rates_sample.csv")) {
            assertNotNull(in, "the sample FX table is on the classpath");
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().skip(1).forEach(line -> {
                String[] f = line.split(",");
                rates.computeIfAbsent(LocalDate.parse(f[0]), k -> new HashSet<>()).add(f[1]);
            });
        }
        Set<String> seen = new HashSet<>();
        Instant earliest = NOW;
        for (JsonNode e : valid(14, 5_000, 14)) {
            Instant t = Instant.parse(e.path("event_time").asText());
            assertFalse(t.isAfter(NOW) || t.isBefore(NOW.minus(Duration.ofDays(14))), "time " + t);
            earliest = t.isBefore(earliest) ? t : earliest;
            String currency = e.path("transaction").path("currency").asText(null);
            if (currency != null && !currency.equals("EUR")) {
                seen.add(currency);
                LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
                assertTrue(rates.getOrDefault(day, Set.of()).contains(currency), currency + " has no sample rate on " + day);
            }
        }
        assertTrue(earliest.isBefore(NOW.minus(Duration.ofDays(12))), "spread over the days: earliest " + earliest);
        assertTrue(seen.size() >= 5, "currencies: " + seen);
    }

    @Test
    void theInvalidShareStillCyclesThroughEveryDefect() {
        EventGenerator gen = new EventGenerator(15, 0.25, 0.05, 300, 80, CLOCK, 7);
        Set<String> kinds = new HashSet<>();
        int invalid = 0;
        for (int i = 0; i < 4_000; i++) {
            GeneratedEvent e = gen.next();
            if (!e.valid()) {
                invalid++;
                kinds.add(e.kind());
            }
        }
        assertEquals(EventGenerator.Defect.values().length, kinds.size(), "every defect: " + kinds);
        assertTrue(invalid > 850 && invalid < 1150, "invalid: " + invalid);
        for (EventGenerator.Defect d : EventGenerator.Defect.values()) {
            assertEquals(d.rule(), gen.withDefect(d).rule());
        }
    }
}
