package io.ecompipeline.contract;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;

/**
 * Maps networknt {@link ValidationMessage}s to {@link Violation}s: rule
 * {@code schema.<keyword in snake_case>}, field as a dot path ({@code customer.email},
 * {@code items[2].sku}, {@code $} for the document), message without the location prefix.
 * For keywords about a property that is absent or not allowed ({@code required},
 * {@code additionalProperties}, ...), the property name is appended to the field, so a missing
 * {@code customer.email} reads as exactly that rather than {@code customer}.
 */
final class SchemaViolations {

    private static final Set<String> PROPERTY_KEYWORDS =
            Set.of("required", "additionalProperties", "dependentRequired", "unevaluatedProperties", "dependencies");

    private SchemaViolations() {
    }

    static void addAll(Collection<ValidationMessage> messages, List<Violation> out) {
        for (ValidationMessage m : messages) {
            out.add(toViolation(m));
        }
    }

    static Violation toViolation(ValidationMessage m) {
        String keyword = m.getType();
        String property = PROPERTY_KEYWORDS.contains(keyword) ? m.getProperty() : null;
        String message = m.getError() != null ? m.getError() : m.getMessage();
        return new Violation(RuleIds.schemaRule(keyword), field(m.getInstanceLocation(), property), message);
    }

    static String field(JsonNodePath path, String property) {
        int count = path == null ? 0 : path.getNameCount();
        if (count == 0 && property == null) {
            return "$";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(element);
            }
        }
        if (property != null) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(property);
        }
        return sb.toString();
    }
}
