package io.ecompipeline.persist;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.db.IdempotentCopy;

/**
 * Writes product versions to {@code raw.products} idempotently, keyed by (product_id, updated_at). A version whose
 * attributes equal the product's latest stored version (or the previous one in the same batch) is not stored again:
 * re-polling an unchanged catalog, or an upsert that changes nothing, changes nothing. Counted as a duplicate.
 */
public final class ProductWriter implements RowSink<ProductRow> {

    private static final IdempotentCopy PRODUCTS = new IdempotentCopy("raw.products", "product_id, title, category, price, "
            + "cost, currency, rating, rating_count, updated_at, payload, source_topic, source_partition, source_offset, run_id",
            "(product_id, updated_at)");
    private static final String LATEST = "SELECT DISTINCT ON (product_id) product_id, title, category, price::text, cost::text, "
            + "currency, rating::text, rating_count::text, updated_at FROM raw.products WHERE product_id = ANY (?) "
            + "ORDER BY product_id, updated_at DESC";

    private final String runId;

    public ProductWriter(UUID runId) {
        this.runId = runId.toString();
    }

    @Override
    public ProductRow row(JsonNode record, SourceRecord origin) throws UnstorableEventException {
        return ProductRow.of(record, origin);
    }

    @Override
    public int write(Connection connection, List<ProductRow> rows) throws SQLException {
        List<ProductRow> changed = changedOnly(connection, rows);
        if (changed.isEmpty()) {
            return 0;
        }
        CopyBuffer buffer = new CopyBuffer(changed.size(), 400);
        for (ProductRow r : changed) {
            SourceRecord o = r.origin();
            buffer.value(r.productId()).value(r.title()).value(r.category()).value(r.price()).value(r.cost())
                    .value(r.currency()).value(r.rating()).value(r.ratingCount()).value(r.updatedAt())
                    .utf8(o.value()).value(o.topic()).value(o.partition()).value(o.offset()).value(runId).endRow();
        }
        return PRODUCTS.write(connection, buffer);
    }

    /** The rows that are a change: newer than the latest known version of their product and different from it. */
    private static List<ProductRow> changedOnly(Connection connection, List<ProductRow> rows) throws SQLException {
        Map<String, List<ProductRow>> byProduct = new LinkedHashMap<>();
        for (ProductRow r : rows) {
            byProduct.computeIfAbsent(r.productId(), k -> new ArrayList<>()).add(r);
        }
        Map<String, ProductRow> latest = latestStored(connection, byProduct.keySet().toArray(String[]::new));
        List<ProductRow> changed = new ArrayList<>(rows.size());
        for (Map.Entry<String, List<ProductRow>> e : byProduct.entrySet()) {
            List<ProductRow> versions = e.getValue();
            versions.sort(Comparator.comparing(r -> Instant.parse(r.updatedAt())));
            ProductRow previous = latest.get(e.getKey());
            for (ProductRow r : versions) {
                boolean later = previous == null || !Instant.parse(r.updatedAt()).isBefore(Instant.parse(previous.updatedAt()));
                if (later && previous != null && r.sameAttributes(previous)) {
                    continue; // nothing changed
                }
                changed.add(r); // a change, or an older version arriving late (the history places it by updated_at)
                if (later) {
                    previous = r;
                }
            }
        }
        return changed;
    }

    private static Map<String, ProductRow> latestStored(Connection connection, String[] productIds) throws SQLException {
        Map<String, ProductRow> latest = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement(LATEST)) {
            Array ids = connection.createArrayOf("text", productIds);
            st.setArray(1, ids);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    latest.put(rs.getString(1), new ProductRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getObject(9, java.time.OffsetDateTime.class).toInstant().toString(), null));
                }
            }
        }
        return latest;
    }
}
