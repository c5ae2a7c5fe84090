package io.ecompipeline.observe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Raises one {@code low-stock} alert (the existing alert mechanism: a WARN line and the webhook) for every product and
 * warehouse the catalog job found turning low-stock ({@code pipeline.low_stock_alerts}), and removes it from the queue
 * in the same transaction. Runs after each catalog run (routes/catalog.yaml); an alert whose delivery fails stays queued
 * for the next run only when the database fails, a failing webhook never blocks (see {@link Alerts}).
 */
public final class LowStockAlerts {

    private static final String DRAIN = "DELETE FROM pipeline.low_stock_alerts RETURNING product_id, warehouse_id, available, "
            + "reorder_point, days_of_cover::text, detected_at";

    private final DataSource dataSource;
    private final Alerts alerts;

    public LowStockAlerts(DataSource dataSource, Alerts alerts) {
        this.dataSource = dataSource;
        this.alerts = alerts;
    }

    /** Raises the queued alerts; returns nothing, so the route's body (the catalog run's result) stays as it is. */
    public void raisePending() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(DRAIN)) {
            c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String product = rs.getString("product_id");
                    String warehouse = rs.getString("warehouse_id");
                    int available = rs.getInt("available");
                    int reorderPoint = rs.getInt("reorder_point");
                    String cover = rs.getString("days_of_cover");
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("product_id", product);
                    details.put("warehouse_id", warehouse);
                    details.put("available", available);
                    details.put("reorder_point", reorderPoint);
                    details.put("days_of_cover", cover);
                    details.put("detected_at", rs.getObject("detected_at", java.time.OffsetDateTime.class).toString());
                    alerts.announce("low-stock", product + "/" + warehouse,
                            "product " + product + " in warehouse " + warehouse + " is low on stock: "
                            + available + " available, reorder point " + reorderPoint
                            + (cover == null ? "" : ", " + cover + " days of cover"), details);
                }
            }
            c.commit();
        }
    }
}
