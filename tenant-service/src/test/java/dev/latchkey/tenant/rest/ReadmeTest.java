package dev.latchkey.tenant.rest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.latchkey.common.rbac.Permissions;

/** The README's permission table is the code's, character for character. */
class ReadmeTest {

    @Test
    void theReadmeShowsExactlyThePermissionTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String table = Permissions.markdownTable();
        assertTrue(readme.contains(table), "tenant-service/README.md must contain Permissions.markdownTable():\n" + table);
    }
}
