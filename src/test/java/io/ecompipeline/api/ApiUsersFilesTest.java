package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiUsersFilesTest {

    @Test
    void usersFilesLeftByEarlierVersionsAreRemovedAndNothingElse(@TempDir Path tmp) throws Exception {
        FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        Path leftover1 = Files.writeString(tmp.resolve("ecom-pipeline-users123.properties"), "user.operator=pw,operator\n");
        Path leftover2 = Files.writeString(tmp.resolve("ecom-pipeline-users9.properties"), "user.operator=pw,operator\n");
        Files.setLastModifiedTime(leftover1, twoDaysAgo);
        Files.setLastModifiedTime(leftover2, twoDaysAgo);
        // an older runtime running right now on this host: its file is young and stays
        Path running = Files.writeString(tmp.resolve("ecom-pipeline-users77.properties"), "user.operator=pw,operator\n");
        Path other = Files.writeString(tmp.resolve("ecom-pipeline-other.properties"), "x=1\n");
        Files.setLastModifiedTime(other, twoDaysAgo);
        assertEquals(2, ApiUsersFiles.removeLeftovers(tmp));
        assertFalse(Files.exists(leftover1));
        assertFalse(Files.exists(leftover2));
        assertTrue(Files.exists(running));
        assertTrue(Files.exists(other));
        assertEquals(0, ApiUsersFiles.removeLeftovers(tmp));
    }
}
