package io.ecompipeline.persist;

import java.util.Objects;
import java.util.function.Supplier;

import io.ecompipeline.contract.Contract;

/**
 * One source of records (events, products, inventory, campaigns): its name, the contract in force and where its valid
 * records go. Live ingest, the record-by-record fallback, the products API poll and dead-letter redelivery all place a
 * record through its source, so a dead letter is revalidated by the contract and written by the writer of the source
 * it came from ({@code pipeline.dead_letters.source}).
 *
 * @param name     the source's name, stored with its dead letters and ingest batches
 * @param contract the contract in force (read once per batch: a reload swaps it between batches)
 * @param sink     the row mapping and idempotent writer of its raw table
 * @param <R>      the row type
 */
public record RecordSource<R>(String name, Supplier<? extends Contract> contract, RowSink<R> sink) {

    public static final String EVENTS = "events";

    public RecordSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(sink, "sink");
    }

    /** An empty set of rows of this source, to be filled and written in one transaction. */
    public SourceRows<R> newRows() {
        return new SourceRows<>(this);
    }
}
