package io.ecompipeline.persist;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.contract.Violation;

/**
 * The columns of one {@code raw.products} row: one version of a product (title, category, price, cost, rating) as of
 * {@code updated_at}, from the products topic or the products API, taken from a contract-valid record.
 */
public record ProductRow(String productId, String title, String category, String price, String cost, String currency,
                         String rating, String ratingCount, String updatedAt, SourceRecord origin) {

    public static ProductRow of(JsonNode p, SourceRecord origin) throws UnstorableEventException {
        List<Violation> problems = new ArrayList<>(0);
        RecordFields.checkStorable(p, origin, problems);
        String updatedAt = RecordFields.timestamp(p, "updated_at", problems);
        String ratingCount = RecordFields.integer(p, "rating_count", problems);
        RecordFields.throwIfAny(problems);
        return new ProductRow(RecordFields.text(p, "product_id"), RecordFields.text(p, "title"), RecordFields.text(p, "category"),
                RecordFields.number(p, "price"), RecordFields.number(p, "cost"), RecordFields.text(p, "currency"),
                RecordFields.number(p, "rating"), ratingCount, updatedAt, origin);
    }

    /** Same title, category, price, cost, currency and rating (numbers compared by value: 1.5 equals 1.50). */
    public boolean sameAttributes(ProductRow other) {
        return Objects.equals(title, other.title) && Objects.equals(category, other.category)
                && sameNumber(price, other.price) && sameNumber(cost, other.cost) && Objects.equals(currency, other.currency)
                && sameNumber(rating, other.rating) && sameNumber(ratingCount, other.ratingCount);
    }

    private static boolean sameNumber(String a, String b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
    }
}
