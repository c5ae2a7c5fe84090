package io.ecompipeline.index;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.indices.GetMappingResponse;
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
 * The {@code hourly_metrics} index: created with its explicit mapping (and {@code number_of_replicas: 0}) before the
 * first document goes in, so Elasticsearch never guesses field types from a document.
 *
 * <p>camel-elasticsearch has no create-index operation, so this uses the Elasticsearch Java client (the 8.x client
 * the pom pins) directly, on a small client of its own built from the same {@code camel.component.elasticsearch.*}
 * settings (hosts, timeouts, credentials) the component's endpoints use. Documents themselves go through the
 * {@code elasticsearch:} endpoint of the {@code index-bulk} route.
 */
public final class HourlyMetricsIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HourlyMetricsIndex.class);
    static final String MAPPING_RESOURCE = "elasticsearch/hourly_metrics-index.json";

    private final CamelContext context;
    private final String name;
    private RestClient restClient;
    private ElasticsearchClient client;

    public HourlyMetricsIndex(CamelContext context, String name) {
        this.context = context;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Creates the index when it is missing; fails if it exists with a mapping that is not ours. */
    public synchronized void ensure() throws IOException {
        ElasticsearchClient es = client();
        if (!es.indices().exists(e -> e.index(name)).value()) {
            try (InputStream mapping = resource()) {
                es.indices().create(c -> c.index(name).withJson(mapping));
                LOG.info("Created Elasticsearch index {} with its explicit mapping", name);
                return;
            } catch (ElasticsearchException e) {
                // another instance created it in the meantime: fall through to the mapping check
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
        }
        GetMappingResponse response = es.indices().getMapping(m -> m.index(name));
        var indexMapping = response.result().values().stream().findFirst();
        Property eventHour = indexMapping.map(m -> m.mappings().properties().get("event_hour")).orElse(null);
        if (eventHour == null || !eventHour.isDate()) {
            throw new IllegalStateException("Elasticsearch index " + name + " exists but its event_hour field is "
                    + (eventHour == null ? "missing" : eventHour._kind().jsonValue())
                    + " instead of date (created without our mapping?). Delete the index, the next run recreates it "
                    + "and re-indexes every pending hour; or set ES_INDEX to another name.");
        }
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
