package io.ecompipeline.persist;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Every source the runtime places records of, by name: what ingest and redelivery look a record's source up in. */
public final class RecordSources {

    private final Map<String, RecordSource<?>> byName = new LinkedHashMap<>();

    public RecordSources(Iterable<RecordSource<?>> sources) {
        for (RecordSource<?> s : sources) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("source " + s.name() + " is registered twice");
            }
        }
    }

    /** The source called {@code name}; an unknown name is a wiring or data error, named in the exception. */
    public RecordSource<?> get(String name) {
        RecordSource<?> s = byName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown record source '" + name + "' (known: " + byName.keySet() + ")");
        }
        return s;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
