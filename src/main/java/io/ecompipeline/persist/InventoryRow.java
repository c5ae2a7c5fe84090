package io.ecompipeline.persist;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.contract.Violation;

/** The columns of one {@code raw.inventory_snapshots} row: the stock of a product in a warehouse at a time. */
public record InventoryRow(String productId, String warehouseId, String onHand, String reserved, String reorderPoint,
                           String unitCost, String currency, String snapshotTime, SourceRecord origin) {

    public static InventoryRow of(JsonNode s, SourceRecord origin) throws UnstorableEventException {
        List<Violation> problems = new ArrayList<>(0);
        RecordFields.checkStorable(s, origin, problems);
        String onHand = RecordFields.integer(s, "on_hand", problems);
        String reserved = RecordFields.integer(s, "reserved", problems);
        String reorderPoint = RecordFields.integer(s, "reorder_point", problems);
        String time = RecordFields.timestamp(s, "snapshot_time", problems);
        RecordFields.throwIfAny(problems);
        return new InventoryRow(RecordFields.text(s, "product_id"), RecordFields.text(s, "warehouse_id"), onHand, reserved,
                reorderPoint, RecordFields.number(s, "unit_cost"), RecordFields.text(s, "currency"), time, origin);
    }
}
