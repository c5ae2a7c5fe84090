package io.ecompipeline.index;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.indices.GetMappingResponse;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import org.apache.camel.CamelContext;
import org.apache.camel.component.es.ElasticsearchComponent;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code hourly_metrics} index: an alias ({@code ES_INDEX}, default {@code hourly_metrics}) on a versioned index
 * ({@code hourly_metrics_v2}) created with its explicit mapping (and {@code number_of_replicas: 0}) before the first
 * document goes in, so Elasticsearch never guesses field types from a document. A mapping change is a new
 * {@link #VERSION}: the indexer fills the new versioned index from PostgreSQL and {@link #moveAliasToCurrent} swaps
 * the alias in one atomic step (deleting the old index, or the plain index of the same name that an older release
 * created), so readers never see a broken or half-filled index.
 *
 * <p>camel-elasticsearch has no create-index or alias operation, so this uses the Elasticsearch Java client (the 8.x
 * client the pom pins) directly, on a small client of its own built from the same {@code camel.component.elasticsearch.*}
 * settings (hosts, timeouts, credentials) the component's endpoints use. Documents themselves go through the
 * {@code elasticsearch:} endpoint of the {@code index-bulk} route.
 */
public final class HourlyMetricsIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HourlyMetricsIndex.class);
    static final String MAPPING_RESOURCE = "elasticsearch/hourly_metrics-index.json";
    /** The version of the mapping in {@link #MAPPING_RESOURCE} (its {@code _meta.version}); raise both together. */
    public static final int VERSION = 2;

    private final CamelContext context;
    private final String name;
    private RestClient restClient;
    private ElasticsearchClient client;

    public HourlyMetricsIndex(CamelContext context, String name) {
        this.context = context;
        this.name = name;
    }

    /** The alias every reader and writer uses. */
    public String name() {
        return name;
    }

    /** The index of the current mapping version, behind the alias. */
    public String versionedName() {
        return name + "_v" + VERSION;
    }

    /**
     * True when the alias points to the current versioned index. Otherwise the current versioned index is created
     * (empty, with its mapping) and false says it must be filled before {@link #moveAliasToCurrent}. Fails if the
     * current index exists with a mapping that is not ours.
     */
    public synchronized boolean ensureCurrent() throws IOException {
        ElasticsearchClient es = client();
        String current = versionedName();
        boolean aliased = es.indices().existsAlias(a -> a.name(name)).value()
                && es.indices().getAlias(a -> a.name(name)).result().containsKey(current);
        if (!es.indices().exists(e -> e.index(current)).value()) {
            try (InputStream mapping = resource()) {
                es.indices().create(c -> c.index(current).withJson(mapping));
                LOG.info("Created Elasticsearch index {} with its explicit mapping (version {})", current, VERSION);
            } catch (ElasticsearchException e) {
                // another instance created it in the meantime: fall through to the mapping check
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
        }
        GetMappingResponse response = es.indices().getMapping(m -> m.index(current));
        var indexMapping = response.result().values().stream().findFirst();
        Property eventHour = indexMapping.map(m -> m.mappings().properties().get("event_hour")).orElse(null);
        if (eventHour == null || !eventHour.isDate()) {
            throw new IllegalStateException("Elasticsearch index " + current + " exists but its event_hour field is "
                    + (eventHour == null ? "missing" : eventHour._kind().jsonValue())
                    + " instead of date (created without our mapping?). Delete the index, the next run recreates it "
                    + "and re-indexes every hour from PostgreSQL; or set ES_INDEX to another name.");
        }
        return aliased;
    }

    /**
     * Points the alias to the current versioned index and deletes what it pointed to before (older versions, or a
     * plain index with the alias's name) in one atomic {@code _aliases} request.
     */
    public synchronized void moveAliasToCurrent() throws IOException {
        ElasticsearchClient es = client();
        String current = versionedName();
        List<Action> actions = new ArrayList<>();
        actions.add(Action.of(a -> a.add(add -> add.index(current).alias(name))));
        if (es.indices().existsAlias(a -> a.name(name)).value()) {
            for (String old : es.indices().getAlias(a -> a.name(name)).result().keySet()) {
                if (!old.equals(current)) {
                    actions.add(Action.of(a -> a.removeIndex(r -> r.index(old))));
                }
            }
        } else if (es.indices().exists(e -> e.index(name)).value()) {
            actions.add(Action.of(a -> a.removeIndex(r -> r.index(name))));
        }
        es.indices().updateAliases(u -> u.actions(actions));
        LOG.info("Elasticsearch alias {} -> {} ({} older indices removed)", name, current, actions.size() - 1);
    }

    private InputStream resource() throws IOException {
        InputStream in = HourlyMetricsIndex.class.getClassLoader().getResourceAsStream(MAPPING_RESOURCE);
        if (in == null) {
            throw new IOException(MAPPING_RESOURCE + " is missing from the classpath");
        }
        return in;
    }

    private ElasticsearchClient client() {
        if (client == null) {
            ElasticsearchComponent component = context.getComponent("elasticsearch", ElasticsearchComponent.class);
            String hostAddresses = component.getHostAddresses();
            if (hostAddresses == null || hostAddresses.isBlank()) {
                throw new IllegalStateException("camel.component.elasticsearch.host-addresses (ES_HOSTS) is not set");
            }
            String scheme = component.isEnableSSL() ? "https" : "http";
            List<HttpHost> hosts = new ArrayList<>();
            for (String address : hostAddresses.split(",")) {
                String a = address.trim();
                int colon = a.lastIndexOf(':');
                hosts.add(colon < 0 ? new HttpHost(a, 9200, scheme)
                        : new HttpHost(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)), scheme));
            }
            var builder = RestClient.builder(hosts.toArray(new HttpHost[0]))
                    .setRequestConfigCallback(r -> r.setConnectTimeout(component.getConnectionTimeout())
                            .setSocketTimeout(component.getSocketTimeout()));
            if (component.getUser() != null && component.getPassword() != null) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(component.getUser(), component.getPassword()));
                builder.setHttpClientConfigCallback(h -> h.setDefaultCredentialsProvider(credentials));
            }
            restClient = builder.build();
            client = new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()));
        }
        return client;
    }

    @Override
    public synchronized void close() throws IOException {
        if (restClient != null) {
            restClient.close();
            restClient = null;
            client = null;
        }
    }
}
