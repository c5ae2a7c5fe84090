package io.ecompipeline.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlScriptsTest {

    @Test
    void theShippedTransformationsRunInNameOrder() {
        List<String> names = SqlScripts.load("classpath:sql/transform").stream().map(SqlScripts.Script::name).toList();
        assertEquals(List.of("10_clean_events.sql", "11_clean_transactions.sql", "15_clean_sessions.sql",
                "16_clean_session_categories.sql",
                "20_hourly_metrics.sql", "21_daily_metrics.sql", "25_daily_funnel.sql", "30_window_orders_by_category.sql",
                "31_window_payment_methods.sql", "32_window_country_revenue.sql", "40_hourly_revenue.sql",
                "41_daily_revenue.sql", "60_campaign_touches.sql"), names);
        assertTrue(SqlScripts.load("classpath:/sql/transform/").get(0).sql().contains("INSERT INTO clean.events"),
                "the clean layer is built first: every later file reads it");
        assertEquals(List.of("10_daily_product_performance.sql", "20_customer_tier_history.sql", "30_customer_rfm.sql",
                "40_daily_product_margin.sql", "50_campaign_attributions.sql", "51_campaign_daily_roi.sql"),
                SqlScripts.load("classpath:sql/gold").stream().map(SqlScripts.Script::name).toList());
        assertEquals(List.of("10_product_history.sql", "20_campaigns.sql", "30_inventory_health.sql",
                "40_queue_attribution_days.sql"), SqlScripts.load("classpath:sql/catalog").stream().map(SqlScripts.Script::name).toList());
    }

    @Test
    void aDirectoryIsReadInNameOrderAndOtherFilesAreIgnored(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("20_second.sql"), "SELECT 2;");
        Files.writeString(dir.resolve("10_first.sql"), "SELECT 1;");
        Files.writeString(dir.resolve("README.md"), "not sql");
        Files.writeString(dir.resolve("draft.sql"), "no number prefix");
        Files.createDirectory(dir.resolve("30_dir.sql"));
        List<SqlScripts.Script> scripts = SqlScripts.load("file:" + dir);
        assertEquals(List.of("10_first.sql", "20_second.sql"), scripts.stream().map(SqlScripts.Script::name).toList());
        assertEquals("SELECT 1;", scripts.get(0).sql());
        assertEquals(2, SqlScripts.load(dir.toString()).size(), "a plain path is a directory too");
    }

    @Test
    void insideAJarOnlyTheDirectoryItselfCounts(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("t.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "sql/transform/", null);
            put(out, "sql/transform/20_b.sql", "SELECT 'b';");
            put(out, "sql/transform/10_a.sql", "SELECT 'a';");
            put(out, "sql/transform/notes.txt", "x");
            put(out, "sql/transform/old/05_old.sql", "SELECT 'old';");
            put(out, "sql/transformations/01_other.sql", "SELECT 'other';");
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);
            List<SqlScripts.Script> scripts = SqlScripts.load("classpath:sql/transform");
            assertEquals(List.of("10_a.sql", "20_b.sql"), scripts.stream().map(SqlScripts.Script::name).toList());
            assertEquals("SELECT 'a';", scripts.get(0).sql());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void aLocationWithoutFilesIsAnError(@TempDir Path dir) {
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> SqlScripts.load("file:" + dir));
        assertTrue(empty.getMessage().contains("no transformation files"), empty.getMessage());
        assertThrows(IllegalStateException.class, () -> SqlScripts.load("file:" + dir.resolve("missing")));
        assertThrows(IllegalStateException.class, () -> SqlScripts.load("classpath:no/such/dir"));
    }

    private static void put(JarOutputStream out, String name, String text) throws Exception {
        out.putNextEntry(new JarEntry(name));
        if (text != null) {
            OutputStream o = out;
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
