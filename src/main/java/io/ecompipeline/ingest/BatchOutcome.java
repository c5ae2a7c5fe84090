package io.ecompipeline.ingest;

/** Where the records of one batch went. {@code received == inserted + duplicates + deadLettered} always. */
public record BatchOutcome(int received, int inserted, int duplicates, int deadLettered, boolean isolated, long millis) {

    @Override
    public String toString() {
        return received + " received: " + inserted + " inserted, " + duplicates + " duplicates, " + deadLettered
                + " dead-lettered" + (isolated ? " (record by record)" : "") + " in " + millis + " ms";
    }
}
