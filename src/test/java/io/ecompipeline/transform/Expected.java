package io.ecompipeline.transform;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The figures the transformations must produce, computed here in Java from the events a test inserted (the
 * definitions of V011__create_analytics_tables.sql, written independently of the SQL), and the same figures read
 * back from the tables in the same shape, so one assertEquals compares a whole table slice.
 */
public final class Expected {

    private Expected() {
    }

    /** A decimal without trailing zeros (numeric scale never makes two equal amounts differ). */
    static String dec(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().toPlainString();
    }

    /** A ratio to 9 places. */
    static String ratio(double v) {
        return String.format(java.util.Locale.ROOT, "%.9f", v);
    }

    /** A timestamptz as JDBC returns it from getObject (Timestamp) or getObject(OffsetDateTime.class). */
    static Instant instant(Object timestamptz) {
        if (timestamptz instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return ((OffsetDateTime) timestamptz).toInstant();
    }

    // ---------------------------------------------------------------------------------------------- hourly_metrics
    public record Hour(int total, String amount, int late, String lateRatio) {
    }

    public static Map<Instant, Hour> hourly(Collection<TxEvent> events) {
        Map<Instant, List<TxEvent>> byHour = events.stream().filter(TxEvent::transaction)
                .collect(Collectors.groupingBy(TxEvent::hour, TreeMap::new, Collectors.toList()));
        Map<Instant, Hour> out = new TreeMap<>();
        byHour.forEach((hour, list) -> {
            int late = (int) list.stream().filter(TxEvent::late).count();
            out.put(hour, new Hour(list.size(), dec(sum(list)), late, ratio((double) late / list.size())));
        });
        return out;
    }

    public static Map<Instant, Hour> hourlyFrom(List<Map<String, Object>> rows) {
        Map<Instant, Hour> out = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            out.put(instant(r.get("event_hour")), new Hour((Integer) r.get("total_transactions"),
                    dec((BigDecimal) r.get("total_amount")), (Integer) r.get("late_transactions"),
                    ratio((Double) r.get("late_ratio"))));
        }
        return out;
    }

    /** The Elasticsearch document of an hour, as its _source reads back. */
    public static Map<String, Object> document(Instant hour, Hour h) {
        return Map.of("event_hour", hour.toString(), "total_transactions", h.total(),
                "total_amount", new BigDecimal(h.amount()).doubleValue(), "late_transactions", h.late(),
                "late_ratio", Double.parseDouble(h.lateRatio()));
    }

    // ---------------------------------------------------------------------------------------------- windows
    public record CategoryWindow(Instant window, String category, int orders, long units, String amount) {
    }

    public static List<CategoryWindow> categoryWindows(Collection<TxEvent> events) {
        return group(events.stream().filter(TxEvent::purchase).toList(), e -> e.window() + "|" + e.category(), list -> {
            TxEvent f = list.get(0);
            return new CategoryWindow(f.window(), f.category(), list.size(),
                    list.stream().mapToLong(TxEvent::quantity).sum(), dec(sum(list)));
        });
    }

    public static List<CategoryWindow> categoryWindowsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new CategoryWindow(instant(r.get("window_start")), (String) r.get("product_category"),
                (Integer) r.get("orders"), (Long) r.get("units"), dec((BigDecimal) r.get("amount")))).toList();
    }

    public record PaymentWindow(Instant window, String method, int orders, String amount, String share) {
    }

    public static List<PaymentWindow> paymentWindows(Collection<TxEvent> events) {
        List<TxEvent> purchases = events.stream().filter(TxEvent::purchase).toList();
        Map<Instant, Long> perWindow = purchases.stream().collect(Collectors.groupingBy(TxEvent::window, Collectors.counting()));
        return group(purchases, e -> e.window() + "|" + e.paymentMethod(), list -> {
            TxEvent f = list.get(0);
            return new PaymentWindow(f.window(), f.paymentMethod(), list.size(), dec(sum(list)),
                    ratio((double) list.size() / perWindow.get(f.window())));
        });
    }

    public static List<PaymentWindow> paymentWindowsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new PaymentWindow(instant(r.get("window_start")), (String) r.get("payment_method"),
                (Integer) r.get("orders"), dec((BigDecimal) r.get("amount")), ratio((Double) r.get("share")))).toList();
    }

    public record CountryWindow(Instant window, String country, String currency, int orders, String revenue,
                                String refunds, String net) {
    }

    public static List<CountryWindow> countryWindows(Collection<TxEvent> events) {
        return group(events.stream().filter(TxEvent::transaction).toList(),
                e -> e.window() + "|" + e.country() + "|" + e.currency(), list -> {
                    TxEvent f = list.get(0);
                    BigDecimal revenue = sum(list.stream().filter(TxEvent::paidPurchase).toList());
                    BigDecimal refunds = sum(list.stream().filter(TxEvent::refund).toList());
                    return new CountryWindow(f.window(), f.country(), f.currency(),
                            (int) list.stream().filter(TxEvent::purchase).count(), dec(revenue), dec(refunds),
                            dec(revenue.subtract(refunds)));
                });
    }

    public static List<CountryWindow> countryWindowsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new CountryWindow(instant(r.get("window_start")), (String) r.get("customer_country"),
                (String) r.get("currency"), (Integer) r.get("orders"), dec((BigDecimal) r.get("revenue")),
                dec((BigDecimal) r.get("refunds")), dec((BigDecimal) r.get("net_revenue")))).toList();
    }

    // ---------------------------------------------------------------------------------------------- daily revenue
    public record Day(LocalDate date, String currency, int orders, int paidOrders, String revenue, String refunds,
                      String net, String prevNet, String change) {
    }

    /** Daily revenue of every day in {@code events}; the previous day's net comes from the same events. */
    public static List<Day> daily(Collection<TxEvent> events) {
        List<TxEvent> tx = events.stream().filter(TxEvent::transaction).toList();
        Map<String, BigDecimal> netByDayCurrency = new TreeMap<>();
        Map<String, List<TxEvent>> groups = tx.stream().collect(Collectors.groupingBy(e -> e.day() + "|" + e.currency(),
                TreeMap::new, Collectors.toList()));
        groups.forEach((k, list) -> netByDayCurrency.put(k, sum(list.stream().filter(TxEvent::paidPurchase).toList())
                .subtract(sum(list.stream().filter(TxEvent::refund).toList()))));
        return groups.values().stream().map(list -> {
            TxEvent f = list.get(0);
            BigDecimal revenue = sum(list.stream().filter(TxEvent::paidPurchase).toList());
            BigDecimal refunds = sum(list.stream().filter(TxEvent::refund).toList());
            BigDecimal net = revenue.subtract(refunds);
            BigDecimal prev = netByDayCurrency.get(f.day().minusDays(1) + "|" + f.currency());
            return new Day(f.day(), f.currency(), (int) list.stream().filter(TxEvent::purchase).count(),
                    (int) list.stream().filter(TxEvent::paidPurchase).count(), dec(revenue), dec(refunds), dec(net),
                    dec(prev), prev == null ? null : dec(net.subtract(prev)));
        }).toList();
    }

    public static List<Day> dailyFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new Day(((java.sql.Date) r.get("revenue_date")).toLocalDate(), (String) r.get("currency"),
                (Integer) r.get("orders"), (Integer) r.get("paid_orders"), dec((BigDecimal) r.get("revenue")),
                dec((BigDecimal) r.get("refunds")), dec((BigDecimal) r.get("net_revenue")),
                dec((BigDecimal) r.get("prev_net_revenue")), dec((BigDecimal) r.get("net_change")))).toList();
    }

    // ---------------------------------------------------------------------------------------------- gold
    public record Product(LocalDate date, String currency, String productId, String category, int orders, long units,
                          String revenue, String refunds, String net, int rank) {
    }

    /** Product performance of every day in {@code events}, ranked by net revenue (then product id) per day and currency. */
    public static List<Product> products(Collection<TxEvent> events) {
        Map<String, List<TxEvent>> groups = events.stream().filter(TxEvent::transaction)
                .collect(Collectors.groupingBy(e -> e.day() + "|" + e.currency() + "|" + e.productId(), TreeMap::new, Collectors.toList()));
        List<Product> unranked = groups.values().stream().map(list -> {
            TxEvent f = list.get(0);
            BigDecimal revenue = sum(list.stream().filter(TxEvent::paidPurchase).toList());
            BigDecimal refunds = sum(list.stream().filter(TxEvent::refund).toList());
            return new Product(f.day(), f.currency(), f.productId(), f.category(),
                    (int) list.stream().filter(TxEvent::purchase).count(),
                    list.stream().filter(TxEvent::purchase).mapToLong(TxEvent::quantity).sum(),
                    dec(revenue), dec(refunds), dec(revenue.subtract(refunds)), 0);
        }).toList();
        Map<String, List<Product>> byDayCurrency = unranked.stream().collect(Collectors.groupingBy(
                p -> p.date() + "|" + p.currency(), TreeMap::new, Collectors.toList()));
        List<Product> out = new java.util.ArrayList<>();
        byDayCurrency.values().forEach(list -> {
            List<Product> sorted = new java.util.ArrayList<>(list);
            sorted.sort(java.util.Comparator.comparing((Product p) -> new BigDecimal(p.net())).reversed()
                    .thenComparing(Product::productId));
            for (int i = 0; i < sorted.size(); i++) {
                Product p = sorted.get(i);
                out.add(new Product(p.date(), p.currency(), p.productId(), p.category(), p.orders(), p.units(),
                        p.revenue(), p.refunds(), p.net(), i + 1));
            }
        });
        out.sort(java.util.Comparator.comparing(Product::date).thenComparing(Product::currency).thenComparing(Product::productId));
        return out;
    }

    public static List<Product> productsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new Product(((java.sql.Date) r.get("revenue_date")).toLocalDate(), (String) r.get("currency"),
                (String) r.get("product_id"), (String) r.get("product_category"), (Integer) r.get("orders"), (Long) r.get("units"),
                dec((BigDecimal) r.get("revenue")), dec((BigDecimal) r.get("refunds")), dec((BigDecimal) r.get("net_revenue")),
                (Integer) r.get("revenue_rank"))).toList();
    }

    public record TierVersion(String customerId, String tier, Instant validFrom, Instant validTo, boolean current) {
    }

    /** SCD Type 2: per customer, consecutive transactions (by event time, then event id) with one tier = one version. */
    public static List<TierVersion> tierHistory(Collection<TxEvent> events) {
        Map<String, List<TxEvent>> byCustomer = events.stream().filter(TxEvent::transaction).filter(e -> e.tier() != null)
                .collect(Collectors.groupingBy(TxEvent::customerId, TreeMap::new, Collectors.toList()));
        List<TierVersion> out = new java.util.ArrayList<>();
        byCustomer.forEach((customer, list) -> {
            List<TxEvent> sorted = new java.util.ArrayList<>(list);
            // PostgreSQL orders uuid by its bytes, which is the order of the lower-case text form
            sorted.sort(java.util.Comparator.comparing(TxEvent::eventTime).thenComparing(e -> e.eventId().toString()));
            List<TierVersion> versions = new java.util.ArrayList<>();
            for (TxEvent e : sorted) {
                if (versions.isEmpty() || !versions.get(versions.size() - 1).tier().equals(e.tier())) {
                    versions.add(new TierVersion(customer, e.tier(), e.eventTime(), null, false));
                }
            }
            for (int i = 0; i < versions.size(); i++) {
                TierVersion v = versions.get(i);
                boolean last = i == versions.size() - 1;
                out.add(new TierVersion(customer, v.tier(), v.validFrom(), last ? null : versions.get(i + 1).validFrom(), last));
            }
        });
        return out;
    }

    public static List<TierVersion> tierHistoryFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new TierVersion((String) r.get("customer_id"), (String) r.get("tier"),
                instant(r.get("valid_from")), r.get("valid_to") == null ? null : instant(r.get("valid_to")),
                (Boolean) r.get("is_current"))).toList();
    }

    public record Rfm(String customerId, Instant firstOrder, Instant lastOrder, int orders, String monetary) {
    }

    public static List<Rfm> rfm(Collection<TxEvent> events) {
        Map<String, List<TxEvent>> byCustomer = events.stream().filter(TxEvent::transaction)
                .collect(Collectors.groupingBy(TxEvent::customerId, TreeMap::new, Collectors.toList()));
        List<Rfm> out = new java.util.ArrayList<>();
        byCustomer.forEach((customer, list) -> {
            List<TxEvent> paid = list.stream().filter(TxEvent::paidPurchase).toList();
            if (!paid.isEmpty()) {
                out.add(new Rfm(customer, paid.stream().map(TxEvent::eventTime).min(Instant::compareTo).orElseThrow(),
                        paid.stream().map(TxEvent::eventTime).max(Instant::compareTo).orElseThrow(), paid.size(),
                        dec(sum(paid).subtract(sum(list.stream().filter(TxEvent::refund).toList())))));
            }
        });
        return out;
    }

    public static List<Rfm> rfmFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new Rfm((String) r.get("customer_id"), instant(r.get("first_order_at")),
                instant(r.get("last_order_at")), (Integer) r.get("orders"), dec((BigDecimal) r.get("monetary")))).toList();
    }

    // ---------------------------------------------------------------------------------------------- helpers
    static BigDecimal sum(Collection<TxEvent> events) {
        return events.stream().map(TxEvent::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static <T> List<T> group(List<TxEvent> events, Function<TxEvent, String> key, Function<List<TxEvent>, T> make) {
        Map<String, List<TxEvent>> groups = events.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
        return groups.values().stream().map(make).toList();
    }
}
