package io.ecompipeline.persist;

import java.util.List;

import io.ecompipeline.contract.Violation;

/** A contract-valid event that PostgreSQL could still not store as-is (e.g. a NUL character); it is dead-lettered. */
public final class UnstorableEventException extends Exception {

    private final transient List<Violation> violations;

    public UnstorableEventException(List<Violation> violations) {
        super(violations.toString(), null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
