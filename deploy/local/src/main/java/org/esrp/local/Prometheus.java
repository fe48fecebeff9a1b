package org.esrp.local;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the services' /q/metrics (Prometheus and OpenMetrics text, an exemplar after a sample included) in tests. */
public final class Prometheus {

    private Prometheus() {
    }

    /** The value of the first sample of {@code name} whose labels contain {@code label}; 0 while there is none. */
    public static double value(String scrape, String name, String label) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)(?: # \\{.*)?$", Pattern.MULTILINE).matcher(scrape);
        while (line.find()) {
            if (String.valueOf(line.group(1)).contains(label)) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }
}
