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

    // ---------------------------------------------------------------------------------------------- helpers
    static BigDecimal sum(Collection<TxEvent> events) {
        return events.stream().map(TxEvent::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static <T> List<T> group(List<TxEvent> events, Function<TxEvent, String> key, Function<List<TxEvent>, T> make) {
        Map<String, List<TxEvent>> groups = events.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
        return groups.values().stream().map(make).toList();
    }
}
