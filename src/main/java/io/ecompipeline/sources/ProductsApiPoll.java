package io.ecompipeline.sources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.config.PipelineSettings;
import io.ecompipeline.ingest.BatchOutcome;
import io.ecompipeline.ingest.IngestBatchProcessor;
import io.ecompipeline.persist.SourceRecord;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the route {@code products-api-poll}: the route fetches each page with camel-http; this bean says which
 * page to ask for, turns an answer into product records ({@link ProductsApiMapper}) placed by the ingest step like a
 * Kafka batch of the products source (raw.products or dead letters, one transaction per page), decides whether another
 * page follows, and reports the poll: one INFO line per poll, or one WARN line when it failed (the API down, an error
 * status, an answer that is not a list of products), counted in {@link ProductsApiStats}. A failed poll changes
 * nothing already stored and the next poll runs on schedule.
 *
 * <p>Paging: with a page size, each request carries {@code limit=size} and, when the API has one, {@code offset=n}
 * (names configurable); a short page, an empty page or the page cap ends the poll. Without a page size one request
 * reads the whole list.
 */
public final class ProductsApiPoll {

    private static final Logger LOG = LoggerFactory.getLogger(ProductsApiPoll.class);

    /** Exchange property: whether the route asks for another page. */
    public static final String MORE_PAGES = "productsApiMorePages";
    private static final String PAGE = "productsApiPage";
    private static final String POLLED_AT = "productsApiPolledAt";
    private static final String TOTALS = "productsApiTotals";
    private static final String SOURCE = "products";
    private static final int SNIPPET = 120;

    private final IngestBatchProcessor ingest;
    private final ProductsApiMapper mapper;
    private final ProductsApiStats stats;
    private final ObjectMapper json;
    private final PipelineSettings.ProductsApi api;
    private final Clock clock;

    public ProductsApiPoll(IngestBatchProcessor ingest, ProductsApiMapper mapper, ProductsApiStats stats, ObjectMapper json,
                           PipelineSettings.ProductsApi api, Clock clock) {
        this.ingest = ingest;
        this.mapper = mapper;
        this.stats = stats;
        this.json = json;
        this.api = api;
        this.clock = clock;
    }

    /** An answer that is not a list of products (garbage, HTML, an error object): the poll fails with this reason. */
    public static final class UnusableAnswerException extends IOException {
        UnusableAnswerException(String message) {
            super(message);
        }
    }

    private static final class Totals {
        private int pages;
        private long items;
        private long inserted;
        private long unchanged;
        private long dead;
        private final long startedNanos = System.nanoTime();
    }

    /** First step of a poll: page 0, one poll time for every version it stores. */
    public void start(Exchange exchange) {
        exchange.setProperty(PAGE, 0);
        exchange.setProperty(POLLED_AT, clock.instant());
        exchange.setProperty(TOTALS, new Totals());
        exchange.setProperty(MORE_PAGES, true);
    }

    /** Before each request: a plain GET with the page's query (nothing of the trigger's headers leaks into it). */
    public void request(Exchange exchange) {
        int page = exchange.getProperty(PAGE, Integer.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader("Accept", "application/json");
        if (api.pageSize() > 0) {
            String query = api.limitParam() + "=" + api.pageSize();
            if (!api.offsetParam().isEmpty()) {
                query += "&" + api.offsetParam() + "=" + (long) page * api.pageSize();
            }
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        }
    }

    /** After each answer: map and place its items, then decide whether another page follows. */
    public void page(Exchange exchange) throws IOException, SQLException {
        int page = exchange.getProperty(PAGE, Integer.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        List<JsonNode> items = items(body, page);
        Instant polledAt = exchange.getProperty(POLLED_AT, Instant.class);
        List<SourceRecord> records = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            records.add(mapper.map(item, polledAt));
        }
        BatchOutcome outcome = records.isEmpty() ? new BatchOutcome(0, 0, 0, 0, false, 0) : ingest.place(SOURCE, records);
        stats.recordPage(items.size(), outcome.inserted(), outcome.duplicates(), outcome.deadLettered());
        Totals totals = exchange.getProperty(TOTALS, Totals.class);
        totals.pages++;
        totals.items += items.size();
        totals.inserted += outcome.inserted();
        totals.unchanged += outcome.duplicates();
        totals.dead += outcome.deadLettered();
        boolean more = api.pageSize() > 0 && !api.offsetParam().isEmpty() && items.size() >= api.pageSize()
                && page + 1 < api.maxPages();
        if (!more && api.pageSize() > 0 && items.size() >= api.pageSize() && page + 1 >= api.maxPages()) {
            LOG.warn("Products API: stopped after {} pages (PRODUCTS_API_MAX_PAGES); the rest of the list was not read",
                    api.maxPages());
        }
        exchange.setProperty(PAGE, page + 1);
        exchange.setProperty(MORE_PAGES, more);
    }

    /** Last step of a successful poll. */
    public void finish(Exchange exchange) {
        Totals t = exchange.getProperty(TOTALS, Totals.class);
        stats.recordSuccess();
        LOG.info("Products API poll: {} page(s), {} items: {} new versions, {} unchanged, {} dead-lettered in {} ms", t.pages,
                t.items, t.inserted, t.unchanged, t.dead, (System.nanoTime() - t.startedNanos) / 1_000_000);
    }

    /** Error handler of the route: the poll failed; what earlier pages stored stays, the next poll runs on schedule. */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Integer page = exchange.getProperty(PAGE, Integer.class);
        String reason = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        stats.recordFailure(reason);
        LOG.warn("Products API poll failed at page {} of {}: {}; nothing was lost, the next poll runs at the next schedule",
                page == null ? 0 : page, api.url(), reason);
    }

    /** The items of an answer: a JSON array, or the array in the configured field of an object. */
    private List<JsonNode> items(byte[] body, int page) throws UnusableAnswerException {
        if (body == null || body.length == 0) {
            throw new UnusableAnswerException("page " + page + " is empty, expected a JSON list of products");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new UnusableAnswerException("page " + page + " is not JSON (" + snippet(body) + ")");
        }
        JsonNode array = root != null && root.isObject() && !api.itemsField().isEmpty() ? root.get(api.itemsField()) : root;
        if (array == null || !array.isArray()) {
            throw new UnusableAnswerException("page " + page + " is not a JSON array" + (api.itemsField().isEmpty() ? ""
                    : " nor an object with an array '" + api.itemsField() + "'") + " (" + snippet(body) + ")");
        }
        List<JsonNode> items = new ArrayList<>(array.size());
        array.forEach(items::add);
        return items;
    }

    private static String snippet(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, SNIPPET * 4), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return text.length() > SNIPPET ? text.substring(0, SNIPPET) + "..." : text;
    }
}
