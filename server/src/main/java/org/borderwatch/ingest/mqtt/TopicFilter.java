package org.borderwatch.ingest.mqtt;

/** MQTT topic filters (MQTT 3.1.1 §4.7): {@code +} matches one level, a final {@code #} any number of levels. */
final class TopicFilter {

    private TopicFilter() {
    }

    /** Is {@code filter} a well-formed filter: wildcards only as whole levels, {@code #} only last? */
    static boolean valid(String filter) {
        if (filter == null || filter.isEmpty() || filter.length() > 256 || filter.indexOf('\u0000') >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
