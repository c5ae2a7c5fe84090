package io.ecompipeline.jobs;

import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A job's figures in one short log line: numbers and words as they are, a list or a map by its size only (a backfill
 * touches thousands of hours; the run record in PostgreSQL and {@code GET /api/jobs/{id}} keep every one), long text
 * cut. The full figures stay in the run record.
 */
public final class JobFigures {

    static final int MAX_TEXT = 120;

    private JobFigures() {
    }

    public static String brief(Map<String, Object> figures) {
        StringJoiner line = new StringJoiner(", ");
        figures.forEach((key, value) -> line.add(key + "=" + brief(value)));
        return line.toString();
    }

    private static String brief(Object value) {
        if (value instanceof Collection<?> list) {
            return "[" + list.size() + "]";
        }
        if (value instanceof Map<?, ?> map) {
            return "{" + map.size() + "}";
        }
        String text = String.valueOf(value).replaceAll("\\s+", " ");
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
