package io.github.amimaven.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark harness's arithmetic and report formatting; the harness itself only runs from bench/run. */
class BenchReportTest {

    private static final Latencies SCALED = Latencies.scaled();

    @Test
    void criticalPathIsTheSumAlongOneImagesChainPlusOneCopy() {
        assertEquals(Duration.ofSeconds(13), CriticalPath.candidate(SCALED));
        assertEquals(Duration.ofSeconds(13), CriticalPath.released(SCALED, 1));
        // copies to every other region run side by side: one copy's time however many regions
        assertEquals(Duration.ofSeconds(23), CriticalPath.released(SCALED, 2));
        assertEquals(Duration.ofSeconds(23), CriticalPath.released(SCALED, 4));
        assertEquals(Duration.ofSeconds(23), CriticalPath.build(SCALED, 4, 4, 4));
        // 8 images on 4 threads queue in two rounds; 8 threads take them all at once
        assertEquals(Duration.ofSeconds(46), CriticalPath.build(SCALED, 8, 2, 4));
        assertEquals(Duration.ofSeconds(23), CriticalPath.build(SCALED, 8, 2, 8));
        assertEquals(Duration.ofSeconds(39), CriticalPath.build(SCALED, 3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> CriticalPath.released(SCALED, 0));
        assertThrows(IllegalArgumentException.class, () -> CriticalPath.build(SCALED, 1, 1, 0));
    }

    @Test
    void overheadIsWallMinusStartupMinusPath() {
        CriticalPath.Overhead slow = new CriticalPath.Overhead(Duration.ofMillis(20_000), Duration.ofMillis(5_000),
                Duration.ofSeconds(13));
        assertEquals(Duration.ofSeconds(2), slow.absolute());
        assertEquals(15.38, slow.percentOfCriticalPath(), 0.01);
        assertFalse(slow.meetsTargets());

        CriticalPath.Overhead fast = new CriticalPath.Overhead(Duration.ofMillis(18_300), Duration.ofMillis(5_000),
                Duration.ofSeconds(13));
        assertEquals(Duration.ofMillis(300), fast.absolute());
        assertEquals(2.31, fast.percentOfCriticalPath(), 0.01);
        assertTrue(fast.meetsTargets());

        // under 3 % of a long path but over a second: missed
        assertFalse(new CriticalPath.Overhead(Duration.ofSeconds(106), Duration.ofSeconds(5), Duration.ofSeconds(100))
                .meetsTargets());
    }

    @Test
    void endpointDelaysAreMilliseconds() {
        assertEquals(Map.of("instancePending", 3000L, "instanceStopping", 2000L, "instanceShuttingDown", 2000L,
                "imagePending", 8000L, "imageCopy", 10000L), SCALED.endpointDelays());
    }

    @Test
    void numbersAreFormattedTheSameEverywhere() {
        assertEquals("12.3", Report.seconds(Duration.ofMillis(12_345)));
        assertEquals("0.0", Report.seconds(Duration.ZERO));
        assertEquals("-0.4", Report.seconds(Duration.ofMillis(-400)));
        assertEquals("1.05×", Report.ratio(1.0549));
        assertEquals("2.3 %", Report.percent(2.31));
    }

    @Test
    void textTablePadsColumnsToTheWidestCell() {
        Report.Table t = new Report.Table("t", "Title", List.of("Run", "Wall s"));
        t.row(List.of("1 image", "18.3")).row(List.of("8 images", "120.0"));
        assertEquals("""
                Title
                Run       Wall s
                --------  ------
                1 image   18.3
                8 images  120.0
                """, t.toText());
        assertThrows(IllegalArgumentException.class, () -> t.row(List.of("too few")));
    }

    @Test
    void rowsGoUnderTheEarlierRowsOfTheirTableAndEverythingElseStays(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        String before = """
                # Benchmarks

                ### Overhead

                <!-- table:overhead -->
                | Date | Wall s |
                |---|---|
                | 2026-01-01 | 20.0 |

                Findings written by hand.

                ### Empty

                <!-- table:empty -->

                The end.
                """;
        Files.writeString(file, before);
        Report.Table overhead = new Report.Table("overhead", "Overhead", List.of("Date", "Wall s"))
                .row(List.of("2026-02-02", "18.1")).row(List.of("2026-02-02", "a|b"));
        Report.Table empty = new Report.Table("empty", "Empty", List.of("A", "B")).row(List.of("1", "2"));
        Report.Table fresh = new Report.Table("scaling", "Scaling", List.of("Images", "Wall s")).row(List.of("4", "19.0"));

        Report.appendTo(file, "unused header", List.of(overhead, empty, fresh));

        assertEquals(before
                .replace("| 2026-01-01 | 20.0 |\n", """
                        | 2026-01-01 | 20.0 |
                        | 2026-02-02 | 18.1 |
                        | 2026-02-02 | a\\|b |
                        """)
                .replace("<!-- table:empty -->\n", """
                        <!-- table:empty -->
                        | A | B |
                        |---|---|
                        | 1 | 2 |
                        """)
                + """

                ### Scaling

                <!-- table:scaling -->
                | Images | Wall s |
                |---|---|
                | 4 | 19.0 |
                """, Files.readString(file));
    }

    @Test
    void aNewFileStartsWithTheHeader(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        Report.appendTo(file, "# Benchmarks\n", List.of(new Report.Table("x", "X", List.of("A")).row(List.of("1"))));
        assertEquals("# Benchmarks\n\n### X\n\n<!-- table:x -->\n| A |\n|---|\n| 1 |\n", Files.readString(file));
    }

    @Test
    void stepTimesComeFromTheTimestampedLog() {
        MavenRun.Result r = new MavenRun.Result(0, Duration.ofSeconds(30), """
                23:59:58.000 [INFO] --- ami-maven-plugin:0.1.0-SNAPSHOT:build (default-build) @ p ---
                23:59:58.400 [INFO] [img1] ==> Resolving source image
                23:59:58.900 [INFO] [img1] builder i-1 launched (t3.micro), waiting until it runs
                    at a continuation line without a time: launched
                00:00:02.400 [INFO] [img1] builder i-1 running after 3.5 s
                00:00:02.500 [INFO] [img1] ==> Stopping builder
                00:00:04.700 [INFO] [img1] builder i-1 stopped after 2.2 s
                00:00:04.900 [INFO] [img1] image ami-1 (img1-x) pending, waiting until available
                00:00:13.400 [INFO] [img1] image ami-1 available after 8.5 s
                00:00:13.600 [INFO] ami: 1 of 1 image(s) built in 15 s
                """);
        Ec2Bench.Breakdown b = Ec2Bench.Breakdown.of(r, SCALED);
        assertEquals(Optional.of(Duration.ofMillis(400)), b.setup());
        // 0.5 s late for running, 0.2 s for stopped, 0.5 s for the image
        assertEquals(Optional.of(Duration.ofMillis(1200)), b.detection());
        assertEquals(Optional.of(Duration.ofMillis(200)), b.cleanup());
        assertEquals(Optional.empty(), r.between("==> Provisioning", "==> Stopping builder"));
    }

    /** A builder its user data powers off is waited for once, from launch to stopped. */
    @Test
    void stepTimesOfABuilderThatStopsItself() {
        MavenRun.Result r = new MavenRun.Result(0, Duration.ofSeconds(30), """
                23:59:58.000 [INFO] --- ami-maven-plugin:0.1.0-SNAPSHOT:build (default-build) @ p ---
                23:59:58.400 [INFO] [img1] ==> Resolving source image
                23:59:58.900 [INFO] [img1] builder i-1 launched (t3.micro), to stop when its user data powers it off
                00:00:04.700 [INFO] [img1] builder i-1 stopped itself after 5.8 s
                00:00:04.900 [INFO] [img1] image ami-1 (img1-x) pending, waiting until available
                00:00:13.400 [INFO] [img1] image ami-1 available after 8.5 s
                00:00:13.600 [INFO] ami: 1 of 1 image(s) built in 15 s
                """);
        Ec2Bench.Breakdown b = Ec2Bench.Breakdown.of(r, SCALED);
        // 0.8 s late for the 3 s to run and 2 s to stop, 0.5 s for the image
        assertEquals(Optional.of(Duration.ofMillis(1300)), b.detection());
        assertEquals(Optional.of(Duration.ofMillis(400)), b.setup());
    }
}
