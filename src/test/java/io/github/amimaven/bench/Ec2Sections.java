package io.github.amimaven.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The EC2 sections of a benchmark run: overhead, scaling, calls, Packer side by side, start-up. */
final class Ec2Sections {

    private final Bench bench;
    private final Ec2Bench ec2;
    private final Latencies latencies;
    /** Plain plugin runs by images × regions, shared by the scaling, calls and Packer tables. */
    private final Map<String, Ec2Bench.Run> runs = new LinkedHashMap<>();
    private Duration startup;

    Ec2Sections(Bench bench, Ec2Bench ec2) {
        this.bench = bench;
        this.ec2 = ec2;
        this.latencies = ec2.latencies();
    }

    void run() throws Exception {
        List<Integer> regions = ec2.deployRegions() ? bench.numbers("regions", "1,2,4") : List.of(1);
        List<Integer> images = bench.numbers("images", "1,2,4,8");
        int repeat = Integer.parseInt(bench.option("repeat", "3"));
        if (bench.wants("overhead") || bench.wants("scaling")) {
            List<Duration> starts = new ArrayList<>();
            for (int i = 1; i <= repeat; i++) {
                starts.add(ec2.startup("startup-" + i));
            }
            startup = Bench.median(starts);
            System.out.println("bench: mvn deploy with the plugin skipped: " + starts + ", median " + Report.seconds(startup) + " s");
        }
        if (bench.wants("overhead")) {
            overhead(repeat, List.of(1, regions.get(regions.size() - 1)).stream().distinct().toList());
        }
        if (bench.wants("scaling")) {
            scaling(images, regions);
        }
        if (bench.wants("calls")) {
            calls(images, regions);
        }
        if (bench.wants("packer")) {
            if (Bench.packerInstalled()) {
                packer(regions);
            } else {
                System.out.println("bench: packer not installed (apt-get install packer): no Packer comparison");
            }
        }
        if (bench.wants("startup")) {
            startup();
        }
    }

    private Ec2Bench.Run plain(int images, int regions) throws Exception {
        String key = images + "x" + regions;
        Ec2Bench.Run run = runs.get(key);
        if (run == null) {
            run = ec2.plugin("plugin-" + key, images, regions, images, 0);
            runs.put(key, run);
            System.out.println("bench: " + key + " " + Report.seconds(run.wall()) + " s, " + run.totalCalls() + " calls");
        }
        return run;
    }

    private void overhead(int repeat, List<Integer> regionCounts) throws Exception {
        List<String> columns = new ArrayList<>(Bench.contextColumns());
        columns.addAll(List.of("Run", "Wall s", "Maven start s", "Critical path s", "Overhead s", "% of path",
                "Setup s", "Wait detection s", "Cleanup s", "Targets met"));
        Report.Table table = new Report.Table("overhead", "Overhead over the critical path: one image, mvn deploy", columns);
        for (int regions : regionCounts) {
            for (int i = 1; i <= repeat; i++) {
                Ec2Bench.Run run = ec2.plugin("overhead-" + regions + "-" + i, 1, regions, 1, 0);
                Duration path = CriticalPath.released(latencies, regions);
                CriticalPath.Overhead o = new CriticalPath.Overhead(run.wall(), startup, path);
                Ec2Bench.Breakdown b = Ec2Bench.Breakdown.of(run.maven(), latencies);
                List<String> row = new ArrayList<>(bench.context());
                row.addAll(List.of("1 image, " + regions + " region(s), #" + i, Report.seconds(run.wall()),
                        Report.seconds(startup), Report.seconds(path), Report.seconds(o.absolute()),
                        Report.percent(o.percentOfCriticalPath()), seconds(b.setup()), seconds(b.detection()),
                        seconds(b.cleanup()), o.meetsTargets() ? "yes" : "no"));
                table.row(row);
            }
        }
        bench.add(table);
    }

    private void scaling(List<Integer> images, List<Integer> regions) throws Exception {
        List<String> columns = new ArrayList<>(Bench.contextColumns());
        columns.addAll(List.of("Images × regions", "Threads", "Wall s", "Critical path s", "(Wall − start) ÷ path",
                "Wall ÷ 1-image wall", "Calls", "Calls per image"));
        Report.Table table = new Report.Table("scaling", "Scaling: images × regions, mvn deploy", columns);
        for (int r : regions) {
            Ec2Bench.Run single = plain(1, r);
            for (int i : images) {
                Ec2Bench.Run run = plain(i, r);
                Duration path = CriticalPath.build(latencies, i, r, run.threads());
                List<String> row = new ArrayList<>(bench.context());
                row.addAll(List.of(i + " × " + r, String.valueOf(run.threads()), Report.seconds(run.wall()),
                        Report.seconds(path),
                        Report.ratio((double) run.wall().minus(startup).toMillis() / path.toMillis()),
                        Report.ratio((double) run.wall().toMillis() / single.wall().toMillis()),
                        String.valueOf(run.totalCalls()), String.format("%.1f", (double) run.totalCalls() / i)));
                table.row(row);
            }
        }
        bench.add(table);
    }

    private void calls(List<Integer> images, List<Integer> regions) throws Exception {
        List<String> columns = new ArrayList<>(Bench.contextColumns());
        columns.addAll(List.of("Images × regions", "Throttled", "Wall s", "Calls", "Calls per image",
                "Answered throttled", "Calls by action"));
        Report.Table table = new Report.Table("calls", "API calls per action and per image, with and without 10 % throttling", columns);
        List<int[]> scenarios = new ArrayList<>();
        scenarios.add(new int[] {1, 1});
        if (images.contains(4)) {
            scenarios.add(new int[] {4, 1});
        }
        int maxRegions = regions.get(regions.size() - 1);
        if (maxRegions > 1) {
            scenarios.add(new int[] {1, maxRegions});
        }
        for (int[] s : scenarios) {
            Ec2Bench.Run plain = plain(s[0], s[1]);
            Ec2Bench.Run throttled = ec2.plugin("throttled-" + s[0] + "x" + s[1], s[0], s[1], s[0], 0.10);
            for (Ec2Bench.Run run : List.of(plain, throttled)) {
                List<String> row = new ArrayList<>(bench.context());
                row.addAll(List.of(s[0] + " × " + s[1], run.throttle() > 0 ? "10 %" : "none", Report.seconds(run.wall()),
                        String.valueOf(run.totalCalls()), String.format("%.1f", (double) run.totalCalls() / s[0]),
                        String.valueOf(run.throttled()), run.callsByAction()));
                table.row(row);
            }
        }
        bench.add(table);
    }

    private void packer(List<Integer> regions) throws Exception {
        List<String> columns = new ArrayList<>(Bench.contextColumns());
        columns.addAll(List.of("Regions", "Packer polling", "Plugin wall s", "Packer wall s", "Packer ÷ plugin, time",
                "Plugin calls", "Packer calls", "Packer ÷ plugin, calls"));
        Report.Table table = new Report.Table("packer", "Side by side with Packer 1.6.6 amazon-ebs (communicator none), same image, regions and sharing", columns);
        for (int r : regions) {
            Ec2Bench.Run plugin = plain(1, r);
            for (int poll : List.of(0, 1)) {
                Ec2Bench.Run packer = ec2.packer("packer-" + r + "-" + poll, r, poll);
                List<String> row = new ArrayList<>(bench.context());
                row.addAll(List.of(String.valueOf(r), poll == 0 ? "default (15 s)" : "aws_polling 1 s",
                        Report.seconds(plugin.wall()), Report.seconds(packer.wall()),
                        Report.ratio((double) packer.wall().toMillis() / plugin.wall().toMillis()),
                        String.valueOf(plugin.totalCalls()), String.valueOf(packer.totalCalls()),
                        Report.ratio((double) packer.totalCalls() / plugin.totalCalls())));
                table.row(row);
                System.out.println("bench: packer " + r + " region(s), polling " + poll + ": " + packer.callsByAction());
            }
        }
        bench.add(table);
    }

    private void startup() throws Exception {
        List<String> columns = new ArrayList<>(Bench.contextColumns());
        columns.addAll(List.of("Images", "mvn ami:validate s", "Plugin skipped s", "Difference s", "Goal in the log s"));
        Report.Table table = new Report.Table("startup", "Start-up: mvn ami:validate", columns);
        MavenRun.Result[] r = ec2.validate(10);
        Optional<Duration> goal = r[0].between(":validate (default-cli)", "configuration of 10 image(s) is valid");
        List<String> row = new ArrayList<>(bench.context());
        row.addAll(List.of("10", Report.seconds(r[0].wall()), Report.seconds(r[1].wall()),
                Report.seconds(r[0].wall().minus(r[1].wall())), seconds(goal)));
        table.row(row);
        bench.add(table);
    }

    private static String seconds(Optional<Duration> d) {
        return d.map(Report::seconds).orElse("?");
    }
}
