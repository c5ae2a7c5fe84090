package io.ecompipeline.deadletter;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one redelivery pass did: entries claimed, recovered into raw.events, rescheduled, parked. */
public record RedeliveryOutcome(int claimed, int recovered, int rescheduled, int parked) {

    public static final RedeliveryOutcome NONE = new RedeliveryOutcome(0, 0, 0, 0);

    public RedeliveryOutcome plus(RedeliveryOutcome other) {
        return new RedeliveryOutcome(claimed + other.claimed, recovered + other.recovered,
                rescheduled + other.rescheduled, parked + other.parked);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claimed", claimed);
        m.put("recovered", recovered);
        m.put("rescheduled", rescheduled);
        m.put("parked", parked);
        return m;
    }
}
