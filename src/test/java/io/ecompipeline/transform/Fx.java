package io.ecompipeline.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.ecompipeline.it.LocalServices;

/**
 * FX rates a test relies on (units of a currency per 1 EUR, per UTC day), inserted into raw.fx_rates, and the
 * conversion the transformations must apply to them, written here from the glossary (docs/metrics.md) rather than
 * from the SQL: rate = units(reporting) / units(currency) to 10 places, EUR = 1, the same currency = 1, a converted
 * amount rounded to cents; no rate, no conversion.
 *
 * <p>{@link #TEST} holds one rate per currency for every day (chosen so that every quotient is exact) and is what
 * {@link TxEvents#insert} loads for the days of the events it inserts, unless a test loaded its own rates first.
 * ISK never has a rate: the currency without one.
 */
public final class Fx {

    public static final String REPORTING = "EUR";
    public static final String NO_RATE_CURRENCY = "ISK";

    /** The same units per EUR on every day. */
    public static final Fx TEST = testRates();

    private final Map<String, BigDecimal> everyDay = new TreeMap<>();
    private final Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();

    private Fx(Map<String, String> everyDay) {
        everyDay.forEach((currency, units) -> this.everyDay.put(currency, new BigDecimal(units)));
    }

    /** The {@link #TEST} rates, with the given days' own rates where a test sets them. */
    public static Fx testRates() {
        return new Fx(Map.of("USD", "1.25", "GBP", "0.8", "PLN", "4", "JPY", "160", "SEK", "10"));
    }

    public Fx on(LocalDate day, String currency, String unitsPerEur) {
        byDay.computeIfAbsent(day, d -> new TreeMap<>()).put(currency, new BigDecimal(unitsPerEur));
        return this;
    }

    /** Units of {@code currency} per EUR on {@code day}; null without a rate. */
    public BigDecimal units(LocalDate day, String currency) {
        if ("EUR".equals(currency)) {
            return BigDecimal.ONE;
        }
        BigDecimal own = byDay.getOrDefault(day, Map.of()).get(currency);
        return own != null ? own : everyDay.get(currency);
    }

    /** Units of the reporting currency per unit of {@code currency} on {@code day}; null when either has no rate. */
    public BigDecimal rate(LocalDate day, String currency) {
        if (currency == null) {
            return null;
        }
        if (currency.equals(REPORTING)) {
            return BigDecimal.ONE;
        }
        BigDecimal to = units(day, REPORTING);
        BigDecimal from = units(day, currency);
        return to == null || from == null ? null : to.divide(from, 10, RoundingMode.HALF_UP);
    }

    /** {@code amount} in the reporting currency, rounded to cents; null without a rate. */
    public BigDecimal convert(LocalDate day, String currency, BigDecimal amount) {
        BigDecimal rate = rate(day, currency);
        return rate == null ? null : amount.multiply(rate).setScale(2, RoundingMode.HALF_UP);
    }

    /**
     * Loads the rates of {@code days} into raw.fx_rates: a test's own rates replace what is there, the every-day ones
     * are added where a day has none yet.
     */
    public void insert(Collection<LocalDate> days) {
        try (Connection c = LocalServices.postgres();
             PreparedStatement own = c.prepareStatement("INSERT INTO raw.fx_rates (rate_date, currency, units_per_eur) "
                     + "VALUES (?, ?, ?) ON CONFLICT (rate_date, currency) DO UPDATE SET units_per_eur = EXCLUDED.units_per_eur");
             PreparedStatement fill = c.prepareStatement("INSERT INTO raw.fx_rates (rate_date, currency, units_per_eur) "
                     + "VALUES (?, ?, ?) ON CONFLICT (rate_date, currency) DO NOTHING")) {
            for (LocalDate day : days) {
                Map<String, BigDecimal> dayRates = new LinkedHashMap<>(byDay.getOrDefault(day, Map.of()));
                for (Map.Entry<String, BigDecimal> r : dayRates.entrySet()) {
                    own.setObject(1, day);
                    own.setString(2, r.getKey());
                    own.setBigDecimal(3, r.getValue());
                    own.addBatch();
                }
                for (Map.Entry<String, BigDecimal> r : everyDay.entrySet()) {
                    if (!dayRates.containsKey(r.getKey())) {
                        fill.setObject(1, day);
                        fill.setString(2, r.getKey());
                        fill.setBigDecimal(3, r.getValue());
                        fill.addBatch();
                    }
                }
            }
            own.executeBatch();
            fill.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("inserting FX rates failed: " + e.getMessage(), e);
        }
    }
}
