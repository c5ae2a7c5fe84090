package io.ecompipeline.persist;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.db.IdempotentCopy;

/** Writes stock snapshots to {@code raw.inventory_snapshots} idempotently, keyed by (product, warehouse, snapshot time). */
public final class InventoryWriter implements RowSink<InventoryRow> {

    private static final IdempotentCopy SNAPSHOTS = new IdempotentCopy("raw.inventory_snapshots", "product_id, warehouse_id, "
            + "on_hand, reserved, reorder_point, unit_cost, currency, snapshot_time, payload, source_topic, source_partition, "
            + "source_offset, run_id", "(product_id, warehouse_id, snapshot_time)");

    private final String runId;

    public InventoryWriter(UUID runId) {
        this.runId = runId.toString();
    }

    @Override
    public InventoryRow row(JsonNode record, SourceRecord origin) throws UnstorableEventException {
        return InventoryRow.of(record, origin);
    }

    @Override
    public int write(Connection connection, List<InventoryRow> rows) throws SQLException {
        CopyBuffer buffer = new CopyBuffer(rows.size(), 350);
        for (InventoryRow r : rows) {
            SourceRecord o = r.origin();
            buffer.value(r.productId()).value(r.warehouseId()).value(r.onHand()).value(r.reserved()).value(r.reorderPoint())
                    .value(r.unitCost()).value(r.currency()).value(r.snapshotTime()).utf8(o.value()).value(o.topic())
                    .value(o.partition()).value(o.offset()).value(runId).endRow();
        }
        return SNAPSHOTS.write(connection, buffer);
    }
}
