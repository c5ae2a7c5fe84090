package io.ecompipeline.it;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Generator seeds for integration tests: fresh each run, because event ids derive from the seed and the shared
 * database keeps rows from earlier runs (a repeated seed would turn new events into duplicates). Printed so a
 * failing run can be replayed.
 */
final class TestSeeds {

    private TestSeeds() {
    }

    static long fresh() {
        long seed = ThreadLocalRandom.current().nextLong();
        System.out.println("generator seed " + seed);
        return seed;
    }
}
