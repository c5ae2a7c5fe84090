/*
 * The COPY text formatting of a raw-event row alone (io.ecompipeline.db.CopyBuffer from the jar on the classpath), in
 * ns per row: the 22 typed text columns of a typical valid event plus its ~500-byte payload. Run it once per jar,
 * alternating, to compare two versions of CopyBuffer without Kafka or PostgreSQL in the way:
 *
 *   java -cp old.jar bench/ingest/CopyFormatBench.java; java -cp target/ecom-pipeline.jar bench/ingest/CopyFormatBench.java
 */
import java.nio.charset.StandardCharsets;

import io.ecompipeline.db.CopyBuffer;

public class CopyFormatBench {

    public static void main(String[] args) {
        String[] columns = {"3f1c9a2e-6b7d-4e21-9c0a-1f2e3d4c5b6a", "purchase", "2026-12-02T03:31:12.345Z", "web",
            "sess-000123456", "cust-004217", "maria.lopez@example.com", "ES", "gold", "prod-000317", "Trail Running Shoe X2",
            "footwear", "89.90", "EUR", "txn-7f3e2a1b", "179.80", "2", "EUR", "credit_card", "completed",
            "ecommerce.events", "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"};
        byte[] payload = ("{\"event_id\":\"3f1c9a2e-6b7d-4e21-9c0a-1f2e3d4c5b6a\",\"event_type\":\"purchase\",\"event_time\":"
                + "\"2026-12-02T03:31:12.345Z\",\"source\":\"web\",\"session_id\":\"sess-000123456\",\"customer\":{\"id\":"
                + "\"cust-004217\",\"email\":\"maria.lopez@example.com\",\"country\":\"ES\",\"tier\":\"gold\"},\"product\":"
                + "{\"id\":\"prod-000317\",\"name\":\"Trail Running Shoe X2\",\"category\":\"footwear\",\"price\":89.90,"
                + "\"currency\":\"EUR\"},\"transaction\":{\"id\":\"txn-7f3e2a1b\",\"amount\":179.80,\"quantity\":2,"
                + "\"currency\":\"EUR\",\"payment_method\":\"credit_card\",\"payment_status\":\"completed\"}}")
                .getBytes(StandardCharsets.UTF_8);
        int rows = 2000;
        long sink = 0;
        for (int round = 0; round < 8; round++) {
            long start = System.nanoTime();
            int batches = 500;
            for (int b = 0; b < batches; b++) {
                CopyBuffer buffer = new CopyBuffer(rows, 1024);
                for (int r = 0; r < rows; r++) {
                    for (String c : columns) {
                        buffer.value(c);
                    }
                    buffer.utf8(payload).endRow();
                }
                sink += buffer.rows();
            }
            double nsPerRow = (System.nanoTime() - start) / (double) (batches * rows);
            if (round >= 3) { // the first rounds are JIT warm-up
                System.out.printf("round %d: %.1f ns per row%n", round, nsPerRow);
            }
        }
        System.out.println("rows " + sink);
    }
}
