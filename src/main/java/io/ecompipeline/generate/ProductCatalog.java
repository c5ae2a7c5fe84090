package io.ecompipeline.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The product id scheme the synthetic events use ({@link EventGenerator}: product number n is {@code P-(100 + n)},
 * with a price, category and currency that follow from n), so the products, inventory and campaigns generators
 * describe the very products the events buy. {@code ProductCatalogTest} checks that both agree.
 */
public final class ProductCatalog {

    static final String[] CATEGORIES = {"electronics", "fashion", "home", "sports", "books", "beauty", "toys"};
    /** The catalog lists EUR prices; events show them in the customer's currency ({@link EventGenerator}). */
    static final String[] CURRENCIES = {"EUR"};

    private ProductCatalog() {
    }

    public static String id(int productNo) {
        return "P-" + (100 + productNo);
    }

    public static String name(int productNo) {
        return "Product " + productNo;
    }

    public static String category(int productNo) {
        return CATEGORIES[productNo % CATEGORIES.length];
    }

    public static String currency(int productNo) {
        return CURRENCIES[productNo % CURRENCIES.length];
    }

    public static BigDecimal price(int productNo) {
        return BigDecimal.valueOf(199 + (productNo * 7919L) % 49_800, 2);
    }

    /** Unit cost: 55-75 % of the price, fixed per product. */
    public static BigDecimal cost(int productNo) {
        return price(productNo).multiply(BigDecimal.valueOf(55 + (productNo * 31L) % 21)).divide(BigDecimal.valueOf(100), 2,
                RoundingMode.HALF_UP);
    }

    /** The product number of an id of this scheme, or -1. */
    public static int number(String productId) {
        if (productId == null || !productId.startsWith("P-")) {
            return -1;
        }
        try {
            return Integer.parseInt(productId.substring(2)) - 100;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
