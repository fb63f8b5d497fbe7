package org.borderwatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine is doing besides the benchmark: every benchmark prints it, since other work weighs on its figures. */
final class Machine {

    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages of {@code /proc/loadavg}, or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
