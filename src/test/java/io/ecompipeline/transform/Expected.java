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
 * definitions of docs/metrics.md, written independently of the SQL), and the same figures read back from the tables
 * in the same shape, so one assertEquals compares a whole table slice. Amounts in the reporting currency follow
 * {@link Fx}; ratios are compared to 9 places.
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

    /** numerator / denominator to 9 places; null when the denominator is 0 (marts.ratio). */
    static String ratio(double numerator, double denominator) {
        return denominator == 0 ? null : ratio(numerator / denominator);
    }

    static String ratio(Double v) {
        return v == null ? null : ratio(v.doubleValue());
    }

    static String dec(Object numeric) {
        return numeric == null ? null : dec((BigDecimal) numeric);
    }

    static int integer(Object v) {
        return ((Number) v).intValue();
    }

    /** A timestamptz as JDBC returns it from getObject (Timestamp) or getObject(OffsetDateTime.class). */
    static Instant instant(Object timestamptz) {
        if (timestamptz instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return ((OffsetDateTime) timestamptz).toInstant();
    }

    // ---------------------------------------------------------------------------------------------- sessions
    /** One session: the events sharing a session_id, counted in the hour and day of its first event. */
    public record Session(String sessionId, String customerId, String source, Instant startedAt, Instant endedAt,
                          LocalDate startDate, Instant startHour, String durationSeconds, int events, int pageViews,
                          int addToCarts, int orders, int paidOrders, boolean bounce, boolean converted) {
    }

    /** Events in session order: event time, then event id (PostgreSQL orders uuid as its lower-case text). */
    static List<TxEvent> inOrder(Collection<TxEvent> events) {
        List<TxEvent> sorted = new java.util.ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparing(TxEvent::eventTime).thenComparing(e -> e.eventId().toString()));
        return sorted;
    }

    public static List<Session> sessions(Collection<TxEvent> events) {
        Map<String, List<TxEvent>> bySession = events.stream().filter(e -> e.sessionId() != null)
                .collect(Collectors.groupingBy(TxEvent::sessionId, TreeMap::new, Collectors.toList()));
        List<Session> out = new java.util.ArrayList<>();
        bySession.forEach((id, list) -> {
            List<TxEvent> sorted = inOrder(list);
            TxEvent first = sorted.get(0);
            TxEvent last = sorted.get(sorted.size() - 1);
            int paid = (int) list.stream().filter(TxEvent::paidPurchase).count();
            out.add(new Session(id, first.customerId(), first.source(), first.eventTime(), last.eventTime(), first.day(),
                    first.hour(), dec(seconds(first.eventTime(), last.eventTime())), list.size(),
                    (int) list.stream().filter(TxEvent::pageView).count(), (int) list.stream().filter(TxEvent::addToCart).count(),
                    (int) list.stream().filter(TxEvent::purchase).count(), paid, list.size() == 1, paid > 0));
        });
        return out;
    }

    public static List<Session> sessionsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new Session((String) r.get("session_id"), (String) r.get("customer_id"),
                (String) r.get("source"), instant(r.get("started_at")), instant(r.get("ended_at")),
                ((java.sql.Date) r.get("start_date")).toLocalDate(), instant(r.get("start_hour")), dec(r.get("duration_seconds")),
                integer(r.get("events")), integer(r.get("page_views")), integer(r.get("add_to_carts")), integer(r.get("orders")),
                integer(r.get("paid_orders")), (Boolean) r.get("is_bounce"), (Boolean) r.get("is_converted"))).toList();
    }

    static BigDecimal seconds(Instant from, Instant to) {
        java.time.Duration d = java.time.Duration.between(from, to);
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    }

    // ---------------------------------------------------------------------------------------------- hourly/daily metrics
    /** A row of marts.hourly_metrics or marts.daily_metrics (amounts without trailing zeros, ratios to 9 places). */
    public record Metrics(int total, String totalAmount, int late, String lateRatio, int orders, int paidOrders,
                          int pendingOrders, int failedOrders, int refundTransactions, int unconverted, String gross,
                          String refunds, String net, int sessions, int sessionEvents, int bouncedSessions,
                          int convertedSessions, String sessionSeconds, String eventsPerSession, String avgSessionSeconds,
                          String bounceRate, String conversionRate) {

        /** The Elasticsearch-relevant figures of seed 003. */
        public int totalTransactions() {
            return total;
        }
    }

    /** The figures of one period from its transactions and the sessions that start in it. */
    static Metrics metrics(List<TxEvent> transactions, List<Session> sessions, Fx fx) {
        int total = transactions.size();
        int late = (int) transactions.stream().filter(TxEvent::late).count();
        BigDecimal gross = BigDecimal.ZERO;
        BigDecimal refunds = BigDecimal.ZERO;
        int unconverted = 0;
        for (TxEvent e : transactions) {
            BigDecimal converted = fx.convert(e.day(), e.currency(), e.amount());
            if (converted == null) {
                unconverted++;
            } else if (e.paidPurchase()) {
                gross = gross.add(converted);
            } else if (e.refund()) {
                refunds = refunds.add(converted);
            }
        }
        BigDecimal net = gross.subtract(refunds);
        int sessionCount = sessions.size();
        int sessionEvents = sessions.stream().mapToInt(Session::events).sum();
        int bounced = (int) sessions.stream().filter(Session::bounce).count();
        int converted = (int) sessions.stream().filter(Session::converted).count();
        BigDecimal seconds = sessions.stream().map(x -> new BigDecimal(x.durationSeconds())).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Metrics(total, dec(net), late, ratio(late, total), (int) transactions.stream().filter(TxEvent::purchase).count(),
                (int) transactions.stream().filter(TxEvent::paidPurchase).count(),
                (int) transactions.stream().filter(TxEvent::pendingPurchase).count(),
                (int) transactions.stream().filter(TxEvent::failedPurchase).count(),
                (int) transactions.stream().filter(TxEvent::refund).count(), unconverted, dec(gross), dec(refunds), dec(net),
                sessionCount, sessionEvents, bounced, converted, dec(seconds), ratio(sessionEvents, sessionCount),
                ratio(seconds.doubleValue(), sessionCount), ratio(bounced, sessionCount), ratio(converted, sessionCount));
    }

    public static Map<Instant, Metrics> hourly(Collection<TxEvent> events) {
        return hourly(events, Fx.TEST);
    }

    /** Every hour with a transaction or a session start among {@code events}. */
    public static Map<Instant, Metrics> hourly(Collection<TxEvent> events, Fx fx) {
        Map<Instant, List<TxEvent>> tx = events.stream().filter(TxEvent::transaction)
                .collect(Collectors.groupingBy(TxEvent::hour, TreeMap::new, Collectors.toList()));
        Map<Instant, List<Session>> starts = sessions(events).stream()
                .collect(Collectors.groupingBy(Session::startHour, TreeMap::new, Collectors.toList()));
        java.util.Set<Instant> hours = new java.util.TreeSet<>(tx.keySet());
        hours.addAll(starts.keySet());
        Map<Instant, Metrics> out = new TreeMap<>();
        for (Instant h : hours) {
            out.put(h, metrics(tx.getOrDefault(h, List.of()), starts.getOrDefault(h, List.of()), fx));
        }
        return out;
    }

    /** Every day with a transaction or a session start among {@code events}. */
    public static Map<LocalDate, Metrics> daily(Collection<TxEvent> events, Fx fx) {
        Map<LocalDate, List<TxEvent>> tx = events.stream().filter(TxEvent::transaction)
                .collect(Collectors.groupingBy(TxEvent::day, TreeMap::new, Collectors.toList()));
        Map<LocalDate, List<Session>> starts = sessions(events).stream()
                .collect(Collectors.groupingBy(Session::startDate, TreeMap::new, Collectors.toList()));
        java.util.Set<LocalDate> days = new java.util.TreeSet<>(tx.keySet());
        days.addAll(starts.keySet());
        Map<LocalDate, Metrics> out = new TreeMap<>();
        for (LocalDate d : days) {
            out.put(d, metrics(tx.getOrDefault(d, List.of()), starts.getOrDefault(d, List.of()), fx));
        }
        return out;
    }

    public static Metrics metricsFrom(Map<String, Object> r) {
        return new Metrics(integer(r.get("total_transactions")), dec(r.containsKey("total_amount") ? r.get("total_amount")
                : r.get("net_revenue")), integer(r.get("late_transactions")), ratio((Double) r.get("late_ratio")),
                integer(r.get("orders")), integer(r.get("paid_orders")), integer(r.get("pending_orders")),
                integer(r.get("failed_orders")), integer(r.get("refund_transactions")), integer(r.get("unconverted_transactions")),
                dec(r.get("gross_revenue")), dec(r.get("refunds")), dec(r.get("net_revenue")), integer(r.get("sessions")),
                integer(r.get("session_events")), integer(r.get("bounced_sessions")), integer(r.get("converted_sessions")),
                dec(r.get("session_duration_seconds")), ratio((Double) r.get("events_per_session")),
                ratio((Double) r.get("avg_session_duration_seconds")), ratio((Double) r.get("bounce_rate")),
                ratio((Double) r.get("conversion_rate")));
    }

    public static Map<Instant, Metrics> hourlyFrom(List<Map<String, Object>> rows) {
        Map<Instant, Metrics> out = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            assertReportingCurrency(r);
            out.put(instant(r.get("event_hour")), metricsFrom(r));
        }
        return out;
    }

    public static Map<LocalDate, Metrics> dailyMetricsFrom(List<Map<String, Object>> rows) {
        Map<LocalDate, Metrics> out = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            assertReportingCurrency(r);
            out.put(((java.sql.Date) r.get("event_date")).toLocalDate(), metricsFrom(r));
        }
        return out;
    }

    static void assertReportingCurrency(Map<String, Object> row) {
        org.junit.jupiter.api.Assertions.assertEquals(Fx.REPORTING, row.get("reporting_currency"), () -> "row " + row);
    }

    // ---------------------------------------------------------------------------------------------- funnel
    public record Funnel(LocalDate date, String source, String category, int pageViews, int addToCarts, int paidOrders,
                         int viewing, int carting, int buying, int abandoned, String viewToCart, String cartToPurchase,
                         String abandonment) {
    }

    /** Per day a session started, its source and each event's category: who got how far. */
    public static List<Funnel> funnel(Collection<TxEvent> events) {
        Map<String, Session> sessions = new TreeMap<>();
        sessions(events).forEach(x -> sessions.put(x.sessionId(), x));
        Map<String, Map<String, List<TxEvent>>> byGroupAndSession = new TreeMap<>();
        for (TxEvent e : events) {
            if (e.sessionId() == null || !(e.pageView() || e.addToCart() || e.paidPurchase())) {
                continue;
            }
            Session x = sessions.get(e.sessionId());
            String key = x.startDate() + "|" + orUnknown(x.source()) + "|" + orUnknown(e.category());
            byGroupAndSession.computeIfAbsent(key, k -> new TreeMap<>())
                    .computeIfAbsent(e.sessionId(), k -> new java.util.ArrayList<>()).add(e);
        }
        List<Funnel> out = new java.util.ArrayList<>();
        byGroupAndSession.forEach((key, perSession) -> {
            String[] k = key.split("\\|");
            int views = 0;
            int carts = 0;
            int paid = 0;
            int viewing = 0;
            int carting = 0;
            int buying = 0;
            int abandoned = 0;
            for (List<TxEvent> list : perSession.values()) {
                int v = (int) list.stream().filter(TxEvent::pageView).count();
                int c = (int) list.stream().filter(TxEvent::addToCart).count();
                int p = (int) list.stream().filter(TxEvent::paidPurchase).count();
                views += v;
                carts += c;
                paid += p;
                viewing += v > 0 ? 1 : 0;
                carting += c > 0 ? 1 : 0;
                buying += p > 0 ? 1 : 0;
                abandoned += c > 0 && p == 0 ? 1 : 0;
            }
            out.add(new Funnel(LocalDate.parse(k[0]), k[1], k[2], views, carts, paid, viewing, carting, buying, abandoned,
                    ratio(carting, viewing), ratio(buying, carting), ratio(abandoned, carting)));
        });
        return out;
    }

    public static List<Funnel> funnelFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new Funnel(((java.sql.Date) r.get("funnel_date")).toLocalDate(), (String) r.get("source"),
                (String) r.get("product_category"), integer(r.get("page_views")), integer(r.get("add_to_carts")),
                integer(r.get("paid_orders")), integer(r.get("viewing_sessions")), integer(r.get("carting_sessions")),
                integer(r.get("buying_sessions")), integer(r.get("abandoned_cart_sessions")),
                ratio((Double) r.get("view_to_cart_rate")), ratio((Double) r.get("cart_to_purchase_rate")),
                ratio((Double) r.get("cart_abandonment_rate")))).toList();
    }

    static String orUnknown(String v) {
        return v == null ? "unknown" : v;
    }

    // ---------------------------------------------------------------------------------------------- windows
    public record CategoryWindow(Instant window, String category, int orders, long units, int paidOrders, String gross,
                                 int unconverted) {
    }

    public static List<CategoryWindow> categoryWindows(Collection<TxEvent> events, Fx fx) {
        return group(events.stream().filter(TxEvent::purchase).toList(), e -> e.window() + "|" + orUnknown(e.category()), list -> {
            TxEvent f = list.get(0);
            return new CategoryWindow(f.window(), orUnknown(f.category()), list.size(),
                    list.stream().mapToLong(TxEvent::quantity).sum(), (int) list.stream().filter(TxEvent::paidPurchase).count(),
                    dec(convertedSum(list.stream().filter(TxEvent::paidPurchase).toList(), fx)), unconverted(list, fx));
        });
    }

    public static List<CategoryWindow> categoryWindowsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> {
            assertReportingCurrency(r);
            return new CategoryWindow(instant(r.get("window_start")), (String) r.get("product_category"),
                    integer(r.get("orders")), (Long) r.get("units"), integer(r.get("paid_orders")), dec(r.get("gross_revenue")),
                    integer(r.get("unconverted_orders")));
        }).toList();
    }

    public record PaymentWindow(Instant window, String method, int orders, String share, int paidOrders, String gross,
                                int unconverted) {
    }

    public static List<PaymentWindow> paymentWindows(Collection<TxEvent> events, Fx fx) {
        List<TxEvent> purchases = events.stream().filter(TxEvent::purchase).toList();
        Map<Instant, Long> perWindow = purchases.stream().collect(Collectors.groupingBy(TxEvent::window, Collectors.counting()));
        return group(purchases, e -> e.window() + "|" + orUnknown(e.paymentMethod()), list -> {
            TxEvent f = list.get(0);
            return new PaymentWindow(f.window(), orUnknown(f.paymentMethod()), list.size(),
                    ratio(list.size(), perWindow.get(f.window())), (int) list.stream().filter(TxEvent::paidPurchase).count(),
                    dec(convertedSum(list.stream().filter(TxEvent::paidPurchase).toList(), fx)), unconverted(list, fx));
        });
    }

    public static List<PaymentWindow> paymentWindowsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> {
            assertReportingCurrency(r);
            return new PaymentWindow(instant(r.get("window_start")), (String) r.get("payment_method"),
                    integer(r.get("orders")), ratio((Double) r.get("share")), integer(r.get("paid_orders")),
                    dec(r.get("gross_revenue")), integer(r.get("unconverted_orders")));
        }).toList();
    }

    /** Per 5-minute window, country and original currency: the breakdown that stays unconverted. */
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
    /** Per day and original currency: the breakdown that stays unconverted. */
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
    public record Product(LocalDate date, String productId, String category, int orders, int paidOrders, long units,
                          String gross, String refunds, String net, int unconverted, int rank) {
    }

    /** Product performance of every day in {@code events} in the reporting currency, ranked by net revenue per day. */
    public static List<Product> products(Collection<TxEvent> events, Fx fx) {
        Map<String, List<TxEvent>> groups = events.stream().filter(TxEvent::transaction).filter(e -> e.productId() != null)
                .collect(Collectors.groupingBy(e -> e.day() + "|" + e.productId(), TreeMap::new, Collectors.toList()));
        List<Product> unranked = groups.values().stream().map(list -> {
            TxEvent f = list.get(0);
            BigDecimal gross = convertedSum(list.stream().filter(TxEvent::paidPurchase).toList(), fx);
            BigDecimal refunds = convertedSum(list.stream().filter(TxEvent::refund).toList(), fx);
            return new Product(f.day(), f.productId(), list.stream().map(TxEvent::category).filter(java.util.Objects::nonNull)
                    .max(String::compareTo).orElse(null), (int) list.stream().filter(TxEvent::purchase).count(),
                    (int) list.stream().filter(TxEvent::paidPurchase).count(),
                    list.stream().filter(TxEvent::purchase).mapToLong(TxEvent::quantity).sum(),
                    dec(gross), dec(refunds), dec(gross.subtract(refunds)), unconverted(list, fx), 0);
        }).toList();
        Map<LocalDate, List<Product>> byDay = unranked.stream().collect(Collectors.groupingBy(Product::date, TreeMap::new,
                Collectors.toList()));
        List<Product> out = new java.util.ArrayList<>();
        byDay.values().forEach(list -> {
            List<Product> sorted = new java.util.ArrayList<>(list);
            sorted.sort(java.util.Comparator.comparing((Product p) -> new BigDecimal(p.net())).reversed()
                    .thenComparing(Product::productId));
            int rank = 0;
            for (int i = 0; i < sorted.size(); i++) {
                Product p = sorted.get(i);
                // rank(): ties share a rank, the next distinct value skips
                if (i == 0 || new BigDecimal(p.net()).compareTo(new BigDecimal(sorted.get(i - 1).net())) != 0) {
                    rank = i + 1;
                }
                out.add(new Product(p.date(), p.productId(), p.category(), p.orders(), p.paidOrders(), p.units(),
                        p.gross(), p.refunds(), p.net(), p.unconverted(), rank));
            }
        });
        out.sort(java.util.Comparator.comparing(Product::date).thenComparing(Product::productId));
        return out;
    }

    public static List<Product> productsFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> {
            assertReportingCurrency(r);
            return new Product(((java.sql.Date) r.get("revenue_date")).toLocalDate(), (String) r.get("product_id"),
                    (String) r.get("product_category"), integer(r.get("orders")), integer(r.get("paid_orders")),
                    (Long) r.get("units"), dec(r.get("gross_revenue")), dec(r.get("refunds")), dec(r.get("net_revenue")),
                    integer(r.get("unconverted_transactions")), integer(r.get("revenue_rank")));
        }).toList();
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

    public record Rfm(String customerId, Instant firstOrder, Instant lastOrder, int orders, String monetary, int unconverted) {
    }

    public static List<Rfm> rfm(Collection<TxEvent> events, Fx fx) {
        Map<String, List<TxEvent>> byCustomer = events.stream().filter(TxEvent::transaction)
                .collect(Collectors.groupingBy(TxEvent::customerId, TreeMap::new, Collectors.toList()));
        List<Rfm> out = new java.util.ArrayList<>();
        byCustomer.forEach((customer, list) -> {
            List<TxEvent> paid = list.stream().filter(TxEvent::paidPurchase).toList();
            if (!paid.isEmpty()) {
                out.add(new Rfm(customer, paid.stream().map(TxEvent::eventTime).min(Instant::compareTo).orElseThrow(),
                        paid.stream().map(TxEvent::eventTime).max(Instant::compareTo).orElseThrow(), paid.size(),
                        dec(convertedSum(paid, fx).subtract(convertedSum(list.stream().filter(TxEvent::refund).toList(), fx))),
                        unconverted(list, fx)));
            }
        });
        return out;
    }

    public static List<Rfm> rfmFrom(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> {
            assertReportingCurrency(r);
            return new Rfm((String) r.get("customer_id"), instant(r.get("first_order_at")), instant(r.get("last_order_at")),
                    integer(r.get("orders")), dec(r.get("monetary")), integer(r.get("unconverted_transactions")));
        }).toList();
    }

    // ---------------------------------------------------------------------------------------------- helpers
    static BigDecimal sum(Collection<TxEvent> events) {
        return events.stream().map(TxEvent::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The sum of the converted amounts (each rounded to cents); transactions without a rate are left out. */
    static BigDecimal convertedSum(Collection<TxEvent> events, Fx fx) {
        return events.stream().map(e -> fx.convert(e.day(), e.currency(), e.amount())).filter(java.util.Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static int unconverted(Collection<TxEvent> events, Fx fx) {
        return (int) events.stream().filter(e -> fx.rate(e.day(), e.currency()) == null).count();
    }

    private static <T> List<T> group(List<TxEvent> events, Function<TxEvent, String> key, Function<List<TxEvent>, T> make) {
        Map<String, List<TxEvent>> groups = events.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
        return groups.values().stream().map(make).toList();
    }
}
