/**
 * The event contract: raw Kafka record bytes are parsed once, checked against the JSON Schema
 * ({@code contract/ecommerce-event.schema.json}, structure, types and formats) and the business
 * rules ({@code contract/rules.yaml}, tunable without recompiling), and every violation is
 * reported as {@code {rule, field, message}}.
 *
 * <p>Entry point: {@link io.ecompipeline.contract.EventContract#validate(byte[])}. Rule ids are
 * listed in {@link io.ecompipeline.contract.RuleIds}. Fields are dot paths from the document
 * root ({@code transaction.amount}; array elements as {@code [i]}); {@code $} is the whole
 * document, used by every {@code malformed.*} violation. A missing or disallowed property is
 * reported at its own path ({@code customer.email}), not at its parent object.
 *
 * <p>May depend on: nothing else of the pipeline.
 */
package io.ecompipeline.contract;
