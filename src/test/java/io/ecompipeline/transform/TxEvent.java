package io.ecompipeline.transform;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One raw event as the transformation tests insert it: event time and processing time (ingested_at) set by the
 * test, so latency and lateness are known in advance. Expected values are computed from these fields in Java,
 * never by running the transformation SQL again.
 */
public record TxEvent(UUID eventId, String eventType, Instant eventTime, Instant ingestedAt, String customerId,
                      String tier, String country, String productId, String category, String paymentMethod,
                      String paymentStatus, String currency, BigDecimal amount, Integer quantity, String source,
                      String sessionId) {

    public static final Duration LATE_THRESHOLD = Duration.ofMinutes(2);

    public boolean transaction() {
        return eventType.equals("PURCHASE") || eventType.equals("REFUND");
    }

    public boolean purchase() {
        return eventType.equals("PURCHASE");
    }

    public boolean refund() {
        return eventType.equals("REFUND");
    }

    public boolean paidPurchase() {
        return purchase() && "PAID".equals(paymentStatus);
    }

    public boolean pendingPurchase() {
        return purchase() && "PENDING".equals(paymentStatus);
    }

    public boolean failedPurchase() {
        return purchase() && "FAILED".equals(paymentStatus);
    }

    public boolean pageView() {
        return eventType.equals("PAGE_VIEW");
    }

    public boolean addToCart() {
        return eventType.equals("ADD_TO_CART");
    }

    public Duration latency() {
        return Duration.between(eventTime, ingestedAt);
    }

    public boolean late() {
        return latency().compareTo(LATE_THRESHOLD) > 0;
    }

    public Instant hour() {
        return eventTime.truncatedTo(ChronoUnit.HOURS);
    }

    public LocalDate day() {
        return LocalDate.ofInstant(eventTime, ZoneOffset.UTC);
    }

    /** Start of the 5-minute window. */
    public Instant window() {
        long epochMinute = eventTime.getEpochSecond() / 60;
        return Instant.ofEpochSecond((epochMinute - Math.floorMod(epochMinute, 5)) * 60);
    }

    /** The same event as a redelivery would bring it again (same id, later processing time). */
    public TxEvent redelivered(Instant at) {
        return new TxEvent(eventId, eventType, eventTime, at, customerId, tier, country, productId, category,
                paymentMethod, paymentStatus, currency, amount, quantity, source, sessionId);
    }

    /** The same event in a session (and from a source). */
    public TxEvent inSession(String session, String from) {
        return new TxEvent(eventId, eventType, eventTime, ingestedAt, customerId, tier, country, productId, category,
                paymentMethod, paymentStatus, currency, amount, quantity, from, session);
    }

    /** The same event with another currency, payment status and amount (a transaction). */
    public TxEvent paying(String inCurrency, String status, String value) {
        return new TxEvent(eventId, eventType, eventTime, ingestedAt, customerId, tier, country, productId, category,
                paymentMethod == null ? "CARD" : paymentMethod, status, inCurrency, new BigDecimal(value),
                quantity == null ? 1 : quantity, source, sessionId);
    }
}
