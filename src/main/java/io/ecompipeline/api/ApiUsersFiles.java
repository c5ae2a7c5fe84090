package io.ecompipeline.api;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Earlier versions wrote the API user and password to {@code ecom-pipeline-users*.properties} in the temp folder at
 * every start and removed it only at a clean exit; the credentials now stay in memory ({@link ApiAuthentication}).
 * Files such a version left behind after a crash are removed at start-up once they are a day old: a younger one may
 * belong to an older runtime still running on this host (a benchmark runs the old and the new jar side by side), and
 * pulling it from under that runtime breaks its authentication. A younger file is named in a WARN line instead.
 */
public final class ApiUsersFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ApiUsersFiles.class);
    static final String PATTERN = "ecom-pipeline-users*.properties";
    static final Duration LEFTOVER_AGE = Duration.ofDays(1);

    private ApiUsersFiles() {
    }

    /** Removes leftover users files from the temp folder; returns how many. */
    public static int removeLeftovers() {
        return removeLeftovers(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static int removeLeftovers(Path folder) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, PATTERN)) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isAfter(Instant.now().minus(LEFTOVER_AGE))) {
                        LOG.warn("{} holds an API password in clear; it was written by an older version less than {} ago"
                                + " (perhaps still running), so it is left in place", file, LEFTOVER_AGE);
                        continue;
                    }
                    Files.deleteIfExists(file);
                    removed++;
                } catch (IOException e) {
                    LOG.warn("Could not remove {}, a users file with the API password left by an earlier version: {}",
                            file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.debug("Temp folder {} not readable: {}", folder, e.getMessage());
        }
        if (removed > 0) {
            LOG.info("Removed {} users file(s) with the API password left in {} by an earlier version", removed, folder);
        }
        return removed;
    }
}
